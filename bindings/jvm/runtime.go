package jvm

/*
#cgo CFLAGS: -std=gnu99 -O2 -Wall -Wextra -Wno-unused-parameter
#cgo LDFLAGS: -ldl -lpthread
#include <stdlib.h>
#include "jni_bridge.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// BindingJarName is the file name of the binding jar that build.sh produces.
const BindingJarName = "gateway-java-binding.jar"

// BindingEnv names the environment variable that may point at the binding jar.
const BindingEnv = "GATEWAY_JAVA_BINDING"

// ErrNoJVM is wrapped when no libjvm.so can be found.
var ErrNoJVM = errors.New("libjvm.so not found")

// ErrNoBinding is wrapped when the binding jar cannot be found.
var ErrNoBinding = errors.New(BindingJarName + " not found")

// findLibJVM returns the libjvm.so to load: from library.path when it names one, else from $JAVA_HOME, the
// default JDK, the java on $PATH, or /usr/lib/jvm.
func findLibJVM(libraryPath string) (string, error) {
	var tried []string
	try := func(p string) string {
		tried = append(tried, p)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		return ""
	}
	inHome := func(home string) string {
		for _, rel := range []string{"lib/server/libjvm.so", "jre/lib/amd64/server/libjvm.so", "lib/amd64/server/libjvm.so"} {
			if p := try(filepath.Join(home, rel)); p != "" {
				return p
			}
		}
		return ""
	}
	if libraryPath != "" {
		fi, err := os.Stat(libraryPath)
		if err == nil && !fi.IsDir() {
			return libraryPath, nil
		}
		if err != nil && strings.HasSuffix(libraryPath, ".so") { // names a library file: no silent fallback
			return "", fmt.Errorf("%w: %w", ErrNoJVM, err)
		}
		if err == nil {
			for _, rel := range []string{"libjvm.so", "server/libjvm.so", "lib/server/libjvm.so"} {
				if p := try(filepath.Join(libraryPath, rel)); p != "" {
					return p, nil
				}
			}
			// A directory without libjvm.so: the SDK's meaning (the binding's native library directory).
		}
	}
	if home := os.Getenv("JAVA_HOME"); home != "" {
		if p := inHome(home); p != "" {
			return p, nil
		}
	}
	if p := inHome("/usr/lib/jvm/default-java"); p != "" {
		return p, nil
	}
	for _, tool := range []string{"java", "javac"} {
		if exe, err := exec.LookPath(tool); err == nil {
			if real, err := filepath.EvalSymlinks(exe); err == nil {
				if p := inHome(filepath.Dir(filepath.Dir(real))); p != "" {
					return p, nil
				}
			}
		}
	}
	homes, _ := filepath.Glob("/usr/lib/jvm/*")
	sort.Strings(homes)
	for _, h := range homes {
		if p := inHome(h); p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w (set jvm.options.library.path or JAVA_HOME; tried %s)", ErrNoJVM, strings.Join(tried, ", "))
}

// findBindingJar returns the binding jar: binding.path (a jar, or a directory holding it), $GATEWAY_JAVA_BINDING,
// or beside the executable / the shared library containing the gateway (and in their lib/, java/ and
// bindings/jvm/ neighbours).
func findBindingJar(bindingPath string) (string, error) {
	var tried []string
	try := func(p string) string {
		if p == "" {
			return ""
		}
		tried = append(tried, p)
		fi, err := os.Stat(p)
		if err != nil {
			return ""
		}
		if fi.IsDir() {
			q := filepath.Join(p, BindingJarName)
			tried = append(tried, q)
			if fi, err := os.Stat(q); err == nil && !fi.IsDir() {
				abs, _ := filepath.Abs(q)
				return abs
			}
			return ""
		}
		abs, _ := filepath.Abs(p)
		return abs
	}
	if bindingPath != "" {
		if p := try(bindingPath); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("%w: binding.path %q (tried %s)", ErrNoBinding, bindingPath, strings.Join(tried, ", "))
	}
	if p := try(os.Getenv(BindingEnv)); p != "" {
		return p, nil
	}
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	if self := C.gw_jvm_self_path(); self != nil {
		if s := C.GoString(self); s != "" && filepath.IsAbs(s) {
			dirs = append(dirs, filepath.Dir(s))
		}
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		for _, c := range []string{d, filepath.Join(d, "java"), filepath.Join(d, "bindings", "jvm"),
			filepath.Join(d, "..", "lib"), filepath.Join(d, "..", "lib", "java")} {
			c = filepath.Clean(c)
			if seen[c] {
				continue
			}
			seen[c] = true
			if p := try(c); p != "" {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("%w (set the loader's binding.path or $%s; tried %s)", ErrNoBinding, BindingEnv, strings.Join(tried, ", "))
}

// jniVersion maps jvm.options.version (a Java major version) to the JNI version requested.
func jniVersion(v int) int32 {
	switch {
	case v <= 0:
		return 0x00010008 // JNI_VERSION_1_8: every JVM this gateway supports provides it
	case v == 1:
		return 0x00010001
	case v <= 3:
		return 0x00010002
	case v <= 5:
		return 0x00010004
	case v <= 7:
		return 0x00010006
	case v == 8:
		return 0x00010008
	case v == 9:
		return 0x00090000
	case v <= 18:
		return 0x000a0000 // JNI_VERSION_10 is the newest up to Java 18
	default:
		return int32(v) << 16 // JNI_VERSION_19, _20, _21 ...
	}
}

// jvmOptions builds the JVM's options: class path (binding jar first), -Xrs, library path, debug, verbose, and
// the additional options (a -Djava.class.path among them is merged into the class path).
func jvmOptions(o Options, jar string) []string {
	cp := []string{jar}
	cp = append(cp, o.ClassPath...)
	var extra []string
	for _, a := range o.AdditionalOptions {
		if v, ok := strings.CutPrefix(a, "-Djava.class.path="); ok {
			if v != "" {
				cp = append(cp, v)
			}
			continue
		}
		extra = append(extra, a)
	}
	opts := []string{"-Djava.class.path=" + strings.Join(cp, string(os.PathListSeparator)), "-Xrs"}
	if o.LibraryPath != "" {
		if fi, err := os.Stat(o.LibraryPath); err == nil && fi.IsDir() {
			if _, err := os.Stat(filepath.Join(o.LibraryPath, "libjvm.so")); err != nil {
				opts = append(opts, "-Djava.library.path="+o.LibraryPath)
			}
		}
	}
	if o.Debug {
		opts = append(opts, fmt.Sprintf("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=%d", o.DebugPort))
	}
	if o.Verbose {
		opts = append(opts, "-verbose:class")
	}
	return append(opts, extra...)
}

// The process's JVM.
var vm struct {
	mu      sync.Mutex
	started bool
	by      string   // the loader that started it
	libjvm  string   // what was loaded
	jar     string   // the binding jar on its class path
	options []string // what it was started with
	adopted bool     // the JVM existed before (created by someone else in the process)
	warned  map[string]bool
	failed  error // a JVM start that failed after JNI_CreateJavaVM was called: a retry is not reliable
}

// JVMInfo describes the running JVM (zero when none was started).
type JVMInfo struct {
	Started bool
	LibJVM  string
	Jar     string
	Options []string
	Adopted bool
}

// RunningJVM reports the JVM this package started, if any.
func RunningJVM() JVMInfo {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	return JVMInfo{Started: vm.started, LibJVM: vm.libjvm, Jar: vm.jar, Options: slices.Clone(vm.options), Adopted: vm.adopted}
}

// ensureJVM starts the process's JVM with l's options if it is not running. Errors do not name the loader or
// module (the caller wraps them).
func ensureJVM(l *Loader, log *slog.Logger) error {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	if vm.started {
		if l.name != vm.by && !vm.warned[l.name] {
			jar, _ := findBindingJar(l.opts.BindingPath)
			if want := jvmOptions(l.opts, jar); !slices.Equal(want, vm.options) {
				if vm.warned == nil {
					vm.warned = map[string]bool{}
				}
				vm.warned[l.name] = true
				log.Warn("the JVM is already running with another loader's options; this loader's jvm.options are ignored",
					"loader", l.name, "started_by", vm.by)
			}
		}
		return nil
	}
	if vm.failed != nil {
		return fmt.Errorf("the JVM failed to start earlier in this process and cannot be started again (restart the gateway): %w",
			vm.failed)
	}
	libjvm, err := findLibJVM(l.opts.LibraryPath)
	if err != nil {
		return fmt.Errorf("jvm.options.library.path: %w", err)
	}
	jar, err := findBindingJar(l.opts.BindingPath)
	if err != nil {
		return err
	}
	opts := jvmOptions(l.opts, jar)
	res := make(chan jvmStart)
	goLocked(func() { jvmThread(libjvm, jniVersion(l.opts.Version), opts, res) })
	r := <-res
	if r.err != nil {
		err := fmt.Errorf("starting the JVM (%s): %w", libjvm, r.err)
		if r.sticky {
			vm.failed = err
		}
		return err
	}
	vm.started, vm.by, vm.libjvm, vm.jar, vm.options, vm.adopted = true, l.name, libjvm, jar, opts, r.adopted
	if r.adopted {
		log.Warn("a JVM was already running in this process: using it (jvm.options ignored)", "loader", l.name)
	}
	return nil
}

type jvmStart struct {
	adopted bool
	err     error
	sticky  bool // JNI_CreateJavaVM was called (or the JVM exists): HotSpot keeps state from a failed start
}

// jvmThread creates the JVM; it runs on a goroutine locked to its OS thread (goLocked) for the life of the
// process (the thread that created a JVM stays its "main" thread; it is never detached while the JVM is in use).
//
// # Memory
//
// The option strings are copied into one C buffer that is never freed: the JVM may keep pointers into it.
func jvmThread(libjvm string, version int32, opts []string, res chan<- jvmStart) {
	var joined []byte
	for _, o := range opts {
		joined = append(joined, o...)
		joined = append(joined, 0)
	}
	copts := C.CBytes(joined) // kept for the life of the process
	clib := C.CString(libjvm)
	defer C.free(unsafe.Pointer(clib))
	var env C.uintptr_t
	var adopted C.int
	var cerr *C.char
	rc := C.gw_jvm_create(clib, C.int32_t(version), (*C.char)(copts), C.int(len(opts)), &env, &adopted, &cerr)
	if rc != 0 {
		msg := "unknown error"
		if cerr != nil {
			msg = C.GoString(cerr)
			C.free(unsafe.Pointer(cerr))
		}
		if rc <= -101 { // the JVM runs but the binding could not be set up: leave it clean
			C.gw_jvm_detach()
		}
		// -100: libjvm.so could not be loaded; nothing was started and another library may be tried.
		res <- jvmStart{err: errors.New(msg), sticky: rc != -100}
		return
	}
	res <- jvmStart{adopted: adopted != 0}
	select {} // the JVM's creating thread lives as long as the process
}

// goLocked runs f on a new goroutine locked to an OS thread that is not the process's primordial thread (HotSpot
// must not run there: its stack grows on demand and has no room for the JVM's guard pages). f runs locked and
// never unlocks: when it returns the goroutine ends and the runtime ends the thread with it, so no other
// goroutine ever runs on a thread the JVM has touched.
func goLocked(f func()) { go lockedOffMain(f) }

// lockedOffMain locks the calling goroutine to its thread and runs f, unless that thread is the primordial one:
// then f runs on a new locked goroutine (which cannot be scheduled on the main thread while this goroutine holds
// it) and this goroutine unlocks and returns once f's goroutine has its thread.
func lockedOffMain(f func()) {
	runtime.LockOSThread()
	if !onMainThread() {
		f()
		return
	}
	started := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		close(started)
		f()
	}()
	<-started
	runtime.UnlockOSThread()
}

func onMainThread() bool { return C.gw_jvm_on_main_thread() != 0 }
