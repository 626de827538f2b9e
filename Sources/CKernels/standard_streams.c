#include "ckernels.h"
#include <errno.h>
#include <stdio.h>

/* C's standard streams for Swift, whose strict concurrency will not let it name the global
   `stdout` and `stderr`. Each reports a failed write instead of stopping the process. */

int statnet_write_stderr(const char *text) { return fputs(text, stderr) >= 0 ? 0 : -1; }

int statnet_write_stdout_flushed(const char *text) {
    if (fputs(text, stdout) < 0) return -1;
    return fflush(stdout) == 0 ? 0 : -1;
}

int statnet_finish_stdout(void) {
    errno = 0;
    int flushed = fflush(stdout);
    int code = errno;
    if (flushed == 0 && !ferror(stdout)) return 0;
    return code != 0 ? code : EIO;
}
