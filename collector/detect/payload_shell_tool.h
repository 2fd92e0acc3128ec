/* payload_shell_tool.h - command injection: command lines read by the
 * grammar of the tool they name (a container, cluster, cloud or service
 * tool and its verb, find's -exec, an option whose value is a shell told
 * to run a command, an editor's :shell), PowerShell's call of a variable
 * built from strings, and the command said between the value's own token
 * twice (1||id||1). */
#ifndef SW_PAYLOAD_SHELL_TOOL_H
#define SW_PAYLOAD_SHELL_TOOL_H

#include <stddef.h>

/* a command line by its tool's grammar at the command position p (lead:
 * payload_shell_command_at's bits): a score, or 0 */
int payload_shell_tool_at(const char *s, size_t n, size_t p, int lead);

/* what follows a command at p is a few plain words up to the value's end
 * ("& net user", "; ver"): how many, or -1 */
int payload_shell_tool_words_to_end(const char *s, size_t n, size_t p);

#endif
