#!/usr/bin/env python3
"""Drives a program through a real pseudo-terminal, as a person at a keyboard.

usage: pty-drive.py STEPS_JSON -- COMMAND [ARGS...]
STEPS_JSON is a list of [regex, keys]: wait until the screen matches regex,
then type keys. Prints the transcript; exits with the program's exit code
(or 124 when a prompt never came)."""
import fcntl, json, os, pty, re, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
# A real terminal has a size; programs that draw (spinners, prompts) need it.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

seen = b""
def read(timeout):
    global seen
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return False
    try:
        data = os.read(fd, 4096)
    except OSError:
        return None
    if not data:
        return None
    seen += data
    return True

def clean():
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf8", "replace"))

for pattern, keys in steps:
    end = time.time() + 20
    start = len(clean())
    while not re.search(pattern, clean()[start:] if pattern.startswith("^") else clean()):
        if time.time() > end or read(0.2) is None:
            sys.stdout.write(clean())
            sys.stderr.write(f"\npty-drive: never saw {pattern!r}\n")
            os.kill(pid, 9)
            sys.exit(124)
    time.sleep(0.1)
    os.write(fd, keys.encode())

# Read until the program ends (or 120 s pass), then report its exit code.
end = time.time() + 120
status = None
while time.time() < end:
    more = read(0.5)
    done, st = os.waitpid(pid, os.WNOHANG)
    if done == pid:
        status = st
        while read(0.1):
            pass
        break
    if more is None:
        _, status = os.waitpid(pid, 0)
        break
if status is None:
    os.kill(pid, 9)
    sys.stdout.write(clean()[-4000:])
    sys.stderr.write("\npty-drive: the program did not end within 120 s\n")
    sys.exit(124)
sys.stdout.write(clean())
sys.exit(os.waitstatus_to_exitcode(status))
