package metrics

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// userHZ is the unit of the clock-tick fields of /proc/<pid>/stat (USER_HZ: 100 on
// every architecture Linux supports in practice).
const userHZ = 100

// procStat returns the fields of /proc/self/stat after the command name, so that
// fields[i] is the field numbered i+3 in proc(5) (state is 3, utime 14, ...).
func procStat() []string {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return nil
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces and parentheses
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// statField returns field number n (as numbered in proc(5)) of fields as a float.
func statField(fields []string, n int) (float64, bool) {
	if n-3 >= len(fields) {
		return 0, false
	}
	v, err := strconv.ParseFloat(fields[n-3], 64)
	return v, err == nil
}

// startTime returns the start time of the process in seconds since the epoch
// (starttime of /proc/self/stat after the boot time, btime of /proc/stat).
func startTime() (float64, bool) {
	ticks, ok := statField(procStat(), 22)
	if !ok {
		return 0, false
	}
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "btime "); ok {
			boot, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return boot + ticks/userHZ, err == nil
		}
	}
	return 0, false
}

// openFDs counts the open file descriptors (not the one used to count them).
func openFDs() (float64, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return 0, false
	}
	return float64(len(names) - 1), true
}

// collectProcess adds the process_* and go_* metrics, read now. start is the
// process start time (startTime; 0: unknown).
func collectProcess(s *scrape, start float64) {
	gauge := func(name, help string, v float64) { s.family(name, "gauge", help).add(v) }
	counter := func(name, help string, v float64) { s.family(name, "counter", help).add(v) }

	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		cpu := float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", cpu)
	}
	st := procStat()
	if pages, ok := statField(st, 24); ok {
		gauge("process_resident_memory_bytes", "Resident memory size in bytes.", pages*float64(os.Getpagesize()))
	}
	if v, ok := statField(st, 23); ok {
		gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", v)
	}
	if n, ok := openFDs(); ok {
		gauge("process_open_fds", "Number of open file descriptors.", n)
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil {
		gauge("process_max_fds", "Maximum number of open file descriptors.", float64(rl.Cur))
	}
	if start > 0 {
		gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", start)
	}

	gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	if n, ok := statField(st, 20); ok {
		gauge("go_threads", "Number of OS threads of the process (num_threads of /proc/self/stat: also threads not created by the Go runtime).", n)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use.", float64(ms.HeapAlloc))
	gauge("go_memstats_sys_bytes", "Number of bytes obtained from the system by the Go runtime.", float64(ms.Sys))
	counter("go_gc_cycles_total", "Number of completed garbage collection cycles.", float64(ms.NumGC))
}
