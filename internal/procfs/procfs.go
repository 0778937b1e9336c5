// Package procfs reads per-process values from Linux's /proc for the tools and tests
// that watch a gateway from outside (benchmarks, soak, e2e).
package procfs

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// StatusKB returns a field of /proc/<pid>/status that is counted in kB, such as
// "VmRSS" (resident set now) or "VmHWM" (its peak).
func StatusKB(pid int, field string) (uint64, error) {
	path := fmt.Sprintf("/proc/%d/status", pid)
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			fields := strings.Fields(rest)
			if len(fields) != 2 || fields[1] != "kB" {
				return 0, fmt.Errorf("%s: %s: not a kB value: %q", path, field, rest)
			}
			return strconv.ParseUint(fields[0], 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return 0, fmt.Errorf("%s: no %s field", path, field)
}
