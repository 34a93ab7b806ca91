# Writes the completion scripts and man pages with the built retort (RETORT) into OUTPUT_DIR:
# bash/retort, zsh/_retort, fish/retort.fish, man/man1/*.1 and man/man5/*.5, the layout the
# install rules copy from. `retort man DIR` may write the pages flat or in man1/ and man5/; both
# are sorted into place here. Any failure fails the build: an installed completion or man page
# that does not match the binary is worse than none.
function(run_retort output)
  execute_process(COMMAND ${RETORT} ${ARGN} OUTPUT_FILE "${output}" RESULT_VARIABLE failed
                  ERROR_VARIABLE errors)
  if(failed)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "`retort ${command}` failed (${failed}): ${errors}")
  endif()
endfunction()

file(REMOVE_RECURSE "${OUTPUT_DIR}")
file(MAKE_DIRECTORY "${OUTPUT_DIR}/bash" "${OUTPUT_DIR}/zsh" "${OUTPUT_DIR}/fish"
     "${OUTPUT_DIR}/pages" "${OUTPUT_DIR}/man/man1" "${OUTPUT_DIR}/man/man5")
run_retort("${OUTPUT_DIR}/bash/retort" completion bash)
run_retort("${OUTPUT_DIR}/zsh/_retort" completion zsh)
run_retort("${OUTPUT_DIR}/fish/retort.fish" completion fish)
run_retort("${OUTPUT_DIR}/pages/stdout" man "${OUTPUT_DIR}/pages")

foreach(section 1 5)
  file(GLOB_RECURSE pages "${OUTPUT_DIR}/pages/*.${section}")
  foreach(page IN LISTS pages)
    file(COPY "${page}" DESTINATION "${OUTPUT_DIR}/man/man${section}")
  endforeach()
endforeach()
file(REMOVE_RECURSE "${OUTPUT_DIR}/pages")
foreach(required bash/retort zsh/_retort fish/retort.fish man/man1/retort.1 man/man5/retort.toml.5)
  if(NOT EXISTS "${OUTPUT_DIR}/${required}")
    message(FATAL_ERROR "retort completion/man did not write ${required}")
  endif()
  file(SIZE "${OUTPUT_DIR}/${required}" size)
  if(size EQUAL 0)
    message(FATAL_ERROR "retort completion/man wrote an empty ${required}")
  endif()
endforeach()
