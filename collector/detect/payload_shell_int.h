/* payload_shell_int.h - shell grammar the command injection detector
 * (payload_shell.c) asks payload_shellw.c about. */
#ifndef SW_PAYLOAD_SHELL_INT_H
#define SW_PAYLOAD_SHELL_INT_H

#include <stddef.h>

/* s[i..i+3) is "<<<": is it a here-string fed to a command, the command
 * line starting after a separator or a substitution ("sh<<<id",
 * "$(tr A-Z a-z<<<ID)"), or led by an interpreter or a variable
 * ("$SHELL<<<'env'") at the value's start? */
int payload_shell_herestring(const char *s, size_t n, size_t i);

/* At p, an interpreter given the switch that runs its next argument as
 * code, and that argument quoted or expanded: python -c '...',
 * node -e "...", php -r '...', lua -e '...'. */
int payload_shell_interp_code(const char *s, size_t n, size_t p);

/* cmd.exe grammar in the lower-cased value: a FOR /F loop that runs a
 * command and then its output, CALL of a %variable% (set x=who&&call
 * %x%ami), cmd with ',' or ';' for the blank before /c. Returns a score
 * and the reason in *why, or 0. */
int payload_shell_win_grammar(const char *lo, size_t n, const char **why);

/* At p of the lower-cased value, an interpreter named with the switch
 * that makes it run the next words: cmd /c, powershell [-nop ...] -enc,
 * bash -c; something must follow. */
int payload_shell_interpreter_run(const char *lo, size_t n, size_t p);

#endif
