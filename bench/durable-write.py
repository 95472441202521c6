#!/usr/bin/env python3
"""What a durable write costs on this disk, quiet and beside a writer of 2 GB, without the server.

Two ways to make 1 KB durable, each timed 200 times, 10 ms apart:
  files    the file store's way: a temporary file, fdatasync, rename, the folder fsynced;
  journal  the cheapest there is: an overwrite in place of a journal file allocated and written
           beforehand (no metadata to commit), then fdatasync.
Then the same beside the bench's noisy neighbour (dd of 2 GB with conv=fdatasync, pass after pass, at
the lowest CPU priority). If the journal slows down as much as the files do, no store design can keep
/start's p99 within a small factor of quiet on this disk: the wait is in the device, behind the
neighbour's writes. Usage: bench/durable-write.py [folder on the disk to test] (default: /tmp).
"""
import os, subprocess, sys, tempfile, time

N, SIZE = 200, 64 << 20
RECORD = b'{"token":"' + b"x" * 1000 + b'","uniqueId":"0"}\n'


def files(folder):
    def write(i):
        tmp, target = os.path.join(folder, f".tmp{i}"), os.path.join(folder, f"{i}.json")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, RECORD); os.fdatasync(fd); os.close(fd)
        os.replace(tmp, target)
        dfd = os.open(folder, os.O_RDONLY); os.fsync(dfd); os.close(dfd)
    return write


def journal(folder):
    fd = os.open(os.path.join(folder, "journal"), os.O_RDWR | os.O_CREAT, 0o600)
    os.posix_fallocate(fd, 0, SIZE)
    os.pwrite(fd, b"\0" * SIZE, 0)
    os.fsync(fd)
    return lambda i: (os.pwrite(fd, RECORD, (i * 4096) % SIZE), os.fdatasync(fd))


def measure(name, make, folder):
    sub = tempfile.mkdtemp(dir=folder)
    write, times = make(sub), []
    for i in range(N):
        start = time.perf_counter()
        write(i)
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.01)
    subprocess.run(["rm", "-rf", sub])
    times.sort()
    return times[N // 2], times[int(N * 0.99)]


def main():
    root = tempfile.mkdtemp(prefix="durable-write-", dir=sys.argv[1] if len(sys.argv) > 1 else "/tmp")
    quiet = {name: measure(name, make, root) for name, make in (("files", files), ("journal", journal))}
    big = os.path.join(root, "neighbour")
    neighbour = subprocess.Popen(["sh", "-c", f"while :; do nice -n 19 dd if=/dev/zero of={big} bs=1M count=2048 conv=fdatasync status=none; done"])
    try:
        time.sleep(3)
        noisy = {name: measure(name, make, root) for name, make in (("files", files), ("journal", journal))}
    finally:
        neighbour.kill(); subprocess.run(["pkill", "-f", f"of={big}"]); subprocess.run(["rm", "-rf", root])
    print("| write | quiet p50 ms | quiet p99 ms | noisy p50 ms | noisy p99 ms | p99 noisy ÷ quiet |")
    print("|---|---|---|---|---|---|")
    for name in quiet:
        (qp50, qp99), (np50, np99) = quiet[name], noisy[name]
        print(f"| {name} | {qp50:.2f} | {qp99:.2f} | {np50:.2f} | {np99:.2f} | {np99 / qp99:.0f} |")


if __name__ == "__main__":
    main()
