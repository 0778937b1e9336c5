/* crash.c - names the module when native module code crashes the process.
 *
 * An in-process module that dereferences a bad pointer cannot be survived: it shares
 * the address space. What the gateway can do is say which module it was. This
 * installs handlers for SIGSEGV, SIGBUS, SIGFPE and SIGILL in front of the ones
 * already there (the Go runtime's): when the faulting thread is running module code
 * (gw_current_module() is set around every call into a module), it writes one line
 * naming the module to stderr, then hands the signal to the previous handler
 * unchanged, so the Go runtime still turns faults in Go code into panics and still
 * prints its report for everything else.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "gw_internal.h"

static struct sigaction previous[32];
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};

static void write_str(const char* s)
{
    size_t n = strlen(s);
    while (n > 0)
    {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
        {
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static const char* signal_name(int sig)
{
    switch (sig)
    {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    default: return "signal";
    }
}

static void crash_handler(int sig, siginfo_t* info, void* ctx)
{
    const char* module = gw_current_module();
    struct sigaction* prev = &previous[sig];
    if (module != NULL)
    {
        write_str("gateway: fatal: ");
        write_str(signal_name(sig));
        write_str(" in module \"");
        write_str(module);
        write_str(gw_in_receive() ? "\" (in Module_Receive)" : "\"");
        write_str(": an in-process module that crashes takes the gateway down; run it out of process "
                  "(loader \"outprocess\" with gateway-module-host) to isolate it\n");
    }
    if (prev->sa_flags & SA_SIGINFO)
    {
        if (prev->sa_sigaction != NULL)
        {
            prev->sa_sigaction(sig, info, ctx);
            return;
        }
    }
    else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler != NULL)
    {
        prev->sa_handler(sig);
        return;
    }
    /* no previous handler: die with the default action */
    signal(sig, SIG_DFL);
    raise(sig);
}

int gw_install_crash_reporter(void)
{
    size_t i;
    for (i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
    {
        int sig = crash_signals[i];
        struct sigaction sa;
        if (sigaction(sig, NULL, &previous[sig]) != 0)
        {
            return -1;
        }
        if (!(previous[sig].sa_flags & SA_SIGINFO) && previous[sig].sa_handler == (void (*)(int))crash_handler)
        {
            continue; /* already installed */
        }
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = crash_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sa.sa_mask = previous[sig].sa_mask;
        if (sigaction(sig, &sa, NULL) != 0)
        {
            return -1;
        }
    }
    return 0;
}
