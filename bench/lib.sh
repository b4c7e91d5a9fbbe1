# What the benchmark scripts share; each sources it after `cd` to the checkout.

# Exit 0 with a message when the shared test data at $1 is absent: the benchmarks need it, the
# build does not.
need_data() {
  if [ ! -d "$1" ]; then
    echo "skipping: $1 is absent (the shared test data is not on this machine)" >&2
    exit 0
  fi
}
