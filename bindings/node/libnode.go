package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoLibnode is returned when no libnode shared library can be found.
var ErrNoLibnode = errors.New("libnode not found: run bindings/node/setup-libnode.sh (puts it in <repo>/deps/libnode), " +
	"or install it (apt install libnode108), or name it with GATEWAY_LIBNODE or the node loader's \"libnode.path\"")

// FindLibnode returns the libnode to load: configured (the loader's "libnode.path")
// when set, else $GATEWAY_LIBNODE, else the project's dependency folder
// (deps/libnode, searched upward from the working directory and from the executable's
// directory, or $GATEWAY_DEPS/libnode), else the system's (/usr/lib/<triplet>). Among
// several, the highest soname (libnode.so.N) wins.
func FindLibnode(configured string) (string, error) {
	for _, explicit := range []struct{ what, path string }{
		{`"libnode.path"`, configured},
		{"GATEWAY_LIBNODE", os.Getenv("GATEWAY_LIBNODE")},
	} {
		if explicit.path == "" {
			continue
		}
		if _, err := os.Stat(explicit.path); err != nil {
			return "", fmt.Errorf("%s: %w", explicit.what, err)
		}
		return explicit.path, nil
	}
	var roots []string
	if d := os.Getenv("GATEWAY_DEPS"); d != "" {
		roots = append(roots, filepath.Join(d, "libnode"))
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		starts = append(starts, filepath.Dir(exe))
	}
	for _, s := range starts {
		for dir := s; ; dir = filepath.Dir(dir) {
			roots = append(roots, filepath.Join(dir, "deps", "libnode"))
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	roots = append(roots, "/")
	for _, root := range roots {
		patterns := []string{"usr/lib/*/libnode.so.*", "usr/lib/libnode.so.*"}
		if root == "/" {
			patterns = append(patterns, "usr/local/lib/libnode.so.*")
		}
		for _, pattern := range patterns {
			m, _ := filepath.Glob(filepath.Join(root, pattern))
			sort.SliceStable(m, func(i, j int) bool { return sonameMajor(m[i]) > sonameMajor(m[j]) }) // newest first
			for _, p := range m {
				if st, err := os.Stat(p); err == nil && !st.IsDir() && sonameMajor(p) > 0 {
					return p, nil
				}
			}
		}
	}
	return "", ErrNoLibnode
}

// sonameMajor returns N of ".../libnode.so.N[.x...]" (0 when it is not a number).
func sonameMajor(p string) int {
	rest := strings.TrimPrefix(filepath.Base(p), "libnode.so.")
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return 0
	}
	return n
}
