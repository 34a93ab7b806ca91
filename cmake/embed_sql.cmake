# Turns src/catalog/queries/*.sql into a header of string constants, so the catalog SQL stays in
# files a reviewer can paste into psql while the binary carries it.
# Usage: cmake -DOUTPUT=... -DINPUTS="a.sql|b.sql" -P embed_sql.cmake
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(content "// Generated from src/catalog/queries/*.sql by cmake/embed_sql.cmake. Do not edit.\n#pragma once\n\nnamespace retort::catalog::queries {\n\n")
foreach(input ${INPUTS})
  get_filename_component(name ${input} NAME_WE)
  string(MAKE_C_IDENTIFIER ${name} identifier)
  file(READ ${input} sql)
  string(APPEND content "inline constexpr char k_${identifier}[] = R\"retort_sql(${sql})retort_sql\";\n\n")
endforeach()
string(APPEND content "}  // namespace retort::catalog::queries\n")
file(WRITE ${OUTPUT}.tmp "${content}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
file(REMOVE ${OUTPUT}.tmp)
