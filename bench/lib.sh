# What the benchmark scripts share; each sources it after `cd` to the checkout.

# Exit 0 with a message when the shared test data at $1 (a folder or a file) is absent: the
# benchmarks need it, the build does not.
need_data() {
  if [ ! -e "$1" ]; then
    echo "skipping: $1 is absent (the shared test data is not on this machine)" >&2
    exit 0
  fi
}

# Wait for the background job $1 (a `/usr/bin/time ... CMD` wrapper) and sample the resident
# memory of its child CMD every 50 ms from /proc/PID/status, split into anonymous memory (what the
# process allocates: RssAnon) and file pages (mapped index files: RssFile). Sets $anon_peak and
# $file_peak, in KiB. Returns the job's exit status.
wait_sampling_memory() {
  local timer=$1 pid="" a f
  anon_peak=0; file_peak=0
  while kill -0 "$timer" 2>/dev/null; do
    [ -n "$pid" ] || pid=$(pgrep -P "$timer" || true)
    if [ -n "$pid" ] && read -r a f < <(awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {print a + 0, f + 0}' "/proc/$pid/status" 2>/dev/null); then
      ((a > anon_peak)) && anon_peak=$a
      ((f > file_peak)) && file_peak=$f
    fi
    sleep 0.05
  done
  wait "$timer"
}
