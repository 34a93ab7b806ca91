// Compiled only to carry the tests' precompiled header (tests/CMakeLists.txt, RETORT_PCH).
