# Project-wide helpers. Warnings are errors on our own code only; generated
# protobuf code and system headers are compiled without them.

function(oe_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror
    -Wno-unused-parameter -Wno-missing-field-initializers)
endfunction()

# For developers sharing one work tree with colleagues mid-edit: with
# -DOE_TOLERATE_MISSING_SOURCES=ON a target whose sources are not all there
# yet is left out with a warning instead of failing the configure. Off by
# default, so CI never skips anything.
option(OE_TOLERATE_MISSING_SOURCES "Leave out targets with missing sources" OFF)
macro(oe_skip_if_incomplete name)
  if(OE_TOLERATE_MISSING_SOURCES)
    foreach(src IN LISTS ARG_SOURCES)
      if(NOT IS_ABSOLUTE "${src}")
        set(src "${CMAKE_CURRENT_SOURCE_DIR}/${src}")
      endif()
      if(NOT EXISTS "${src}")
        message(WARNING "${name}: ${src} missing; target left out")
        return()
      endif()
    endforeach()
  endif()
endmacro()

# oe_library(name SOURCES a.cc b.cc DEPS lib1 lib2)
function(oe_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  oe_skip_if_incomplete(${name})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  oe_warnings(${name})
endfunction()

# oe_binary(name SOURCES main.cc DEPS ...)
function(oe_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  oe_skip_if_incomplete(${name})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  oe_warnings(${name})
endfunction()

# oe_test(name SOURCES x_test.cc DEPS ... LABELS unit|integration|e2e)
# One ctest entry per test binary keeps the CI run short on two cores.
function(oe_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  oe_skip_if_incomplete(${name})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock oe_test_main)
  oe_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "OE_SOURCE_DIR=${PROJECT_SOURCE_DIR};OE_SHARED_DATA=${OE_SHARED_DATA}")
endfunction()

# Where the public code sets live (CI has them beside the clone). Tests that
# need them fail with a clear message when the folder is absent.
set(OE_SHARED_DATA "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH
    "Folder with the official code-set files (see README)")

# The Abseil parts nearly every library of ours uses (Status, strings and
# formatting, Mutex, Time): one name in DEPS instead of the same six lines.
add_library(oe_absl INTERFACE)
target_link_libraries(oe_absl INTERFACE
  absl::status absl::statusor absl::strings absl::str_format absl::synchronization absl::time)

# Adds every sub-folder of the current one that has a CMakeLists.txt, so a
# new service, library or test folder needs no edit in its parent.
function(oe_add_subfolders)
  file(GLOB children LIST_DIRECTORIES true "${CMAKE_CURRENT_SOURCE_DIR}/*")
  foreach(child IN LISTS children)
    if(IS_DIRECTORY "${child}" AND EXISTS "${child}/CMakeLists.txt")
      add_subdirectory("${child}")
    endif()
  endforeach()
endfunction()

# The interpreter of the Python test scripts: Debian's /usr/bin/python3
# (with python3-grpcio), else any python3 on PATH.
find_program(OE_SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT OE_SYSTEM_PYTHON3)
  find_program(OE_SYSTEM_PYTHON3 NAMES python3 REQUIRED)
endif()

# oe_script_scenarios(<prefix> <script> <timeout> <scenario>...): one e2e
# ctest entry <prefix>_<scenario>_e2e_test per scenario, each running
# `<script> <build dir> <scenario>` alone (they start whole suites).
function(oe_script_scenarios prefix script timeout)
  foreach(scenario IN LISTS ARGN)
    add_test(NAME ${prefix}_${scenario}_e2e_test
      COMMAND "${OE_SYSTEM_PYTHON3}" "${CMAKE_CURRENT_SOURCE_DIR}/${script}"
              "${PROJECT_BINARY_DIR}" ${scenario})
    set_tests_properties(${prefix}_${scenario}_e2e_test PROPERTIES
      LABELS "e2e" TIMEOUT ${timeout} RUN_SERIAL TRUE)
  endforeach()
endfunction()
