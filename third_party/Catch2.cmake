# Catch2 v2: the unit-test framework (tests/, tests/jit, tests/fuzz). Tested with 2.13
# (Debian 12: catch2 2.13.10). Only needed with TERN_BUILD_TESTS=ON.
#
# Found with find_package(Catch2 2 CONFIG) (Catch2Config.cmake; set Catch2_DIR or
# CMAKE_PREFIX_PATH for another copy). Provides Catch2::Catch2 and, through include(Catch),
# catch_discover_tests().
if(NOT TARGET Catch2::Catch2)
  find_package(Catch2 2 CONFIG QUIET)
  if(NOT Catch2_FOUND)
    message(FATAL_ERROR
      "Catch2 2.x not found: install catch2 (scripts/install-deps.sh), point Catch2_DIR at a "
      "directory holding Catch2Config.cmake, or configure with -DTERN_BUILD_TESTS=OFF.")
  endif()
endif()
include(Catch)
