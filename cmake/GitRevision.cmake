# The git revision is provenance only: a build outside a git checkout (or without git) says "unknown".
set(NKAPPA_GIT_REVISION "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                  OUTPUT_VARIABLE _nkappa_rev OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _nkappa_rev_status ERROR_QUIET)
  if(_nkappa_rev_status EQUAL 0 AND _nkappa_rev)
    set(NKAPPA_GIT_REVISION "${_nkappa_rev}")
  endif()
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.hpp.in" "${PROJECT_BINARY_DIR}/generated/nkappa/version.hpp" @ONLY)
