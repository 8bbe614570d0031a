# Google Benchmark: the micro-benchmarks (bench/micro). Optional: without it tern_micro_bench is
# not built. Tested with 1.7.1 (Debian 12: libbenchmark-dev 1.7.1).
#
# Found with find_package(benchmark 1.7 CONFIG) (benchmarkConfig.cmake; set benchmark_DIR or
# CMAKE_PREFIX_PATH for another copy). Provides benchmark::benchmark and
# benchmark::benchmark_main; sets benchmark_FOUND.
if(NOT TARGET benchmark::benchmark)
  find_package(benchmark 1.7 CONFIG QUIET)
  if(NOT benchmark_FOUND)
    message(STATUS "Google Benchmark 1.7 not found (Debian: libbenchmark-dev, "
                   "scripts/install-deps.sh): tern_micro_bench is not built")
  endif()
endif()
