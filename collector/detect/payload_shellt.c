/* payload_shellt.c - the command injection detector's word lists (moved
 * out of payload_shell.c) and an index of each by first byte, so that a
 * word position costs one table look-up when no listed word starts with
 * its byte (most do: a value's letters after a separator are prose far
 * more often than a command). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* commands nobody types in a form field after a separator */
static const char *const strong_cmd[] = {
	"id", "whoami", "uname", "ifconfig", "ipconfig", "netstat", "wget",
	"curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "dash",
	"csh", "tcsh", "python", "python2", "python3", "perl", "ruby", "php",
	"powershell", "pwsh", "cmd", "cmd.exe", "nslookup", "dig", "ls", "pwd",
	"chmod", "chown", "rm", "telnet", "ssh", "systeminfo", "tasklist",
	"hostname", "base64", "xterm", "awk", "busybox", "nmap", "socat",
	"printenv", "crontab", "gcc", "lsof", "ps", "uptime", "mkfifo",
	"certutil", "bitsadmin", "net", "reg", "wmic", "sudo", "su", "tftp",
	"ftp", "scp", "env", "killall", "shutdown", "reboot", "xxd", "od",
	"findstr", "icacls", "attrib", "schtasks", "rundll32", "regsvr32",
	"mshta", "cscript", "wscript", "msiexec", "nohup", "setsid",
	"%COMSPEC%", "%comspec%", "getent", "lsb_release", "openssl",
	/* recon commands with no English reading, probed alone: "; nproc" */
	"nproc", "lscpu", "lsblk", "lsmod", "lspci", "lsusb", "dmesg", "getconf",
	"hostnamectl", "qwinsta", "quser", "driverquery",
	/* cmd's program that runs a command for each file (forfiles /c) */
	"forfiles",
	/* Windows' domain, firewall, log, boot and process tools, and the
	 * signed binaries that fetch or run code (no English, no build step) */
	"nltest", "dsquery", "netsh", "vssadmin", "wevtutil", "bcdedit", "esentutl", "odbcconf",
	"cmstp", "certreq", "taskkill", "tracert", "pathping",
	/* sleep in microseconds, commix's sleep2usleep: ;usleep 5000000 */
	"usleep",
	/* accounts made or changed: ;useradd -o -u 0 x */
	"useradd", "usermod", "userdel", "adduser", "chpasswd",
	/* a file's immutable flag taken off: ;chattr -i /etc/passwd */
	"chattr",
};

/* English words that are also commands: need an argument that looks like
 * shell (an option, a path, a number, a redirection, a variable) */
static const char *const weak_cmd[] = {
	"cat", "echo", "ping", "sleep", "kill", "touch", "find", "head", "tail",
	"more", "less", "cp", "mv", "mkdir", "dir", "type", "who", "time",
	"host", "grep", "tac", "nl", "sort", "cut", "tee", "timeout", "ver",
	"exec", "eval", "set", "export", "read", "printf", "sed", "expr", "w",
	"last", "ip",
	/* English words that name recon commands: alone after a leading
	 * separator ("| date", "x' & groups"), or with a shell argument */
	"date", "groups", "users", "finger", "mount", "arch", "rev", "route",
	"sc", "query",
	/* cmd's clock, English in a sentence ("waitfor it"): waitfor /t 5 */
	"waitfor",
};

/* Windows reads command names in any case: "NET USER", "Cmd /c". A value
 * with capitals is scanned again lower-cased for these words alone, so
 * that "Name|ID" stays a table header. */
static const char *const win_cmd[] = {
	"cmd", "cmd.exe", "powershell", "pwsh", "net", "ipconfig", "systeminfo",
	"tasklist", "certutil", "bitsadmin", "wmic", "reg", "type", "dir", "ping",
	"whoami", "ver", "findstr", "%comspec%", "hostname", "netstat", "nslookup", "schtasks", "rundll32",
	"regsvr32", "mshta", "cscript", "wscript", "msiexec", "icacls", "attrib",
	"route", "sc", "query", "qwinsta", "quser", "driverquery", "forfiles", "waitfor",
	"nltest", "dsquery", "netsh", "vssadmin", "wevtutil", "bcdedit", "esentutl", "odbcconf",
	"cmstp", "certreq", "taskkill", "tracert", "pathping",
};

/* names that are no English word, whatever follows them: "| wmic process
 * call create x" */
static const char *const unmistakable_cmd[] = {
	"wmic", "certutil", "bitsadmin", "mshta", "regsvr32", "rundll32",
	"schtasks", "whoami", "ipconfig", "ifconfig", "systeminfo", "tasklist",
	"netstat", "nslookup", "qwinsta", "quser", "driverquery", "hostnamectl",
	"forfiles", "useradd", "usermod", "userdel", "adduser",
	"nltest", "dsquery", "netsh", "vssadmin", "wevtutil", "bcdedit", "esentutl", "odbcconf",
	"cmstp", "certreq", "taskkill",
};

/* command interpreters: what follows them is code */
static const char *const interp_cmd[] = {
	"powershell", "pwsh", "cmd", "cmd.exe", "bash", "sh", "zsh", "dash", "ksh",
	"python", "python2", "python3", "perl", "ruby", "php",
};

/* strong commands that do harm or tell something with no argument at all:
 * ";id;" is a probe, "java; python; ruby" is a list of languages */
static const char *const bare_cmd[] = {
	"id", "whoami", "uname", "ifconfig", "ipconfig", "netstat", "pwd", "ls",
	"hostname", "systeminfo", "tasklist", "printenv", "uptime", "ps", "env",
	"lsof", "reboot", "shutdown", "nproc", "lscpu", "lsblk", "lsmod", "lspci",
	"lsusb", "dmesg", "hostnamectl", "qwinsta", "quser", "driverquery",
};

/* commands that run the command after them: "busybox nc ...", "sudo id" */
static const char *const wrapper_cmd[] = {"busybox", "sudo", "nohup", "setsid", "env"};

#define LIST(a) {a, sizeof(a) / sizeof(a[0])}
static const struct {
	const char *const *w;
	size_t cnt;
} lists[PAYLOAD_SHELL__LISTS] = {
	[PAYLOAD_SHELL_STRONG] = LIST(strong_cmd),
	[PAYLOAD_SHELL_WEAK] = LIST(weak_cmd),
	[PAYLOAD_SHELL_WIN] = LIST(win_cmd),
	[PAYLOAD_SHELL_UNMISTAKABLE] = LIST(unmistakable_cmd),
	[PAYLOAD_SHELL_INTERP] = LIST(interp_cmd),
	[PAYLOAD_SHELL_BARE] = LIST(bare_cmd),
	[PAYLOAD_SHELL_WRAPPER] = LIST(wrapper_cmd),
};
_Static_assert(sizeof(strong_cmd) / sizeof(strong_cmd[0]) <= PAYLOAD_SHELLT_MAX, "index fits");

struct payload_shellt_ix payload_shellt_ix[PAYLOAD_SHELL__LISTS];

/* Each list's words grouped by first byte, in list order within a group:
 * the detector tries a group's words in the order it tried the whole
 * list, and every word of another group failed at its first byte. */
__attribute__((constructor)) static void shellt_index(void)
{
	for (int li = 0; li < PAYLOAD_SHELL__LISTS; li++) {
		struct payload_shellt_ix *ix = &payload_shellt_ix[li];
		size_t pos = 0;

		for (unsigned b = 1; b < 256; b++) {
			ix->from[b] = (uint8_t)pos;
			for (size_t k = 0; k < lists[li].cnt; k++)
				if ((unsigned char)lists[li].w[k][0] == b) {
					ix->word[pos] = lists[li].w[k];
					ix->len[pos] = (uint8_t)strlen(lists[li].w[k]);
					pos++;
				}
			ix->to[b] = (uint8_t)pos;
		}
	}
}

int payload_shellt_listed_n(const char *w, size_t l, int list)
{
	const struct payload_shellt_ix *ix = &payload_shellt_ix[list];
	unsigned char f;

	if (l == 0)
		return 0;
	f = (unsigned char)w[0];
	/* the length first: a word of the group that is not as long
	 * differs somewhere */
	for (size_t k = ix->from[f]; k < ix->to[f]; k++)
		if (ix->len[k] == l && !memcmp(ix->word[k], w, l))
			return 1;
	return 0;
}

int payload_shellt_listed(const char *w, int list)
{
	return payload_shellt_listed_n(w, strlen(w), list);
}
