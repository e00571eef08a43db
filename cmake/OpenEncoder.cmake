# Project-wide helpers. Warnings are errors on our own code only; generated
# protobuf code and system headers are compiled without them.

function(oe_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror
    -Wno-unused-parameter -Wno-missing-field-initializers)
endfunction()

# oe_library(name SOURCES a.cc b.cc DEPS lib1 lib2)
function(oe_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  oe_warnings(${name})
endfunction()

# oe_binary(name SOURCES main.cc DEPS ...)
function(oe_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  oe_warnings(${name})
endfunction()

# oe_test(name SOURCES x_test.cc DEPS ... LABELS unit|integration|e2e)
# One ctest entry per test binary keeps the CI run short on two cores.
function(oe_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  oe_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "OE_SOURCE_DIR=${PROJECT_SOURCE_DIR};OE_SHARED_DATA=${OE_SHARED_DATA}")
endfunction()

# Where the public code sets live; tests that need them skip only when the
# folder is absent (CI always has it beside the clone).
set(OE_SHARED_DATA "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH
    "Folder with the official code-set files (see README)")
