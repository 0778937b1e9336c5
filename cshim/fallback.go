package cshim

import (
	"fmt"
	"os"
)

// fallbackLog writes a C log line to stderr when no Host is installed (C tests, or
// a module logging before the gateway is up).
func fallbackLog(category int, module, file, function string, line int, text string) {
	level := "INFO"
	switch category {
	case LogError:
		level = "ERROR"
	case LogTrace:
		level = "TRACE"
	}
	if module != "" {
		fmt.Fprintf(os.Stderr, "%s module=%q %s:%d %s: %s\n", level, module, file, line, function, text)
		return
	}
	fmt.Fprintf(os.Stderr, "%s %s:%d %s: %s\n", level, file, line, function, text)
}
