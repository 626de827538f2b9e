#include "ckernels.h"
#include <signal.h>
#include <string.h>

/* The first SIGINT or SIGTERM only records itself, so that training stops at its next safe
   point (between two batches) with its checkpoints intact; a second one ends the process at
   once, as the user expects from a second Ctrl-C. Only async-signal-safe calls here. */
static volatile sig_atomic_t stop_signal = 0;

static void on_stop_signal(int signo) {
    if (stop_signal != 0) {
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    stop_signal = signo;
}

void statnet_install_stop_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int statnet_stop_signal(void) { return stop_signal; }
