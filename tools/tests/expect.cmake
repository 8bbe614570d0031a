# Runs one program and checks its exit status, stdout and stderr: the CLI and runner tests.
#   cmake -DPROGRAM=path -DARGS="a|b|c" [-DEXIT=0] [-DSTDOUT=regex] [-DSTDERR=regex]
#         [-DNOT_STDOUT=regex] [-DNOT_STDERR=regex] [-DWORKING_DIRECTORY=dir] -P expect.cmake
# ARGS separates arguments with `|` so that they pass through add_test unchanged.
if(NOT DEFINED EXIT)
  set(EXIT 0)
endif()
string(REPLACE "|" ";" arg_list "${ARGS}")
if(NOT DEFINED WORKING_DIRECTORY)
  set(WORKING_DIRECTORY .)
endif()
execute_process(COMMAND ${PROGRAM} ${arg_list}
                WORKING_DIRECTORY ${WORKING_DIRECTORY}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(problems "")
if(NOT "${status}" STREQUAL "${EXIT}")
  string(APPEND problems "exit status ${status}, expected ${EXIT}\n")
endif()
if(NOT "${STDOUT}" STREQUAL "" AND NOT out MATCHES "${STDOUT}")
  string(APPEND problems "stdout does not match: ${STDOUT}\n")
endif()
if(NOT "${STDERR}" STREQUAL "" AND NOT err MATCHES "${STDERR}")
  string(APPEND problems "stderr does not match: ${STDERR}\n")
endif()
if(NOT "${NOT_STDOUT}" STREQUAL "" AND out MATCHES "${NOT_STDOUT}")
  string(APPEND problems "stdout should not match: ${NOT_STDOUT}\n")
endif()
if(NOT "${NOT_STDERR}" STREQUAL "" AND err MATCHES "${NOT_STDERR}")
  string(APPEND problems "stderr should not match: ${NOT_STDERR}\n")
endif()
if(problems)
  message(FATAL_ERROR "${PROGRAM} ${arg_list}\n${problems}--- stdout ---\n${out}--- stderr ---\n${err}")
endif()
