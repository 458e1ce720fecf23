#!/usr/bin/env python3
"""A DNS server for the multi-node test bed's workers that answers every query at once with NXDOMAIN.

Docker's embedded DNS forwards names it does not know (a sentinel alias before any sentinel exists, say) to the
engine's DNS servers. The workers live in network namespaces with no resolver in reach, and an unanswered query costs
a node script 10 s per lookup; a real network answers NXDOMAIN in milliseconds. This does the same, on the workers'
host-side addresses only (10.77.K.1), so nothing leaves the machine. Usage: testbed-dns.py ADDR [ADDR ...]
"""
import socket
import sys
import threading


def answer(query: bytes) -> bytes:
    if len(query) < 12:
        return b""
    flags = 0x8000 | (query[2] & 0x79) << 8 | 0x0080 | 3   # QR, opcode and RD copied, RA, rcode NXDOMAIN
    return query[:2] + flags.to_bytes(2, "big") + query[4:6] + b"\0\0\0\0\0\0" + question(query)


def question(query: bytes) -> bytes:
    i = 12
    while i < len(query) and query[i] != 0:
        i += query[i] + 1
    return query[12:i + 5]


def serve_udp(addr: str) -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 53))
    while True:
        data, peer = s.recvfrom(4096)
        reply = answer(data)
        if reply:
            s.sendto(reply, peer)


def serve_tcp(addr: str) -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 53))
    s.listen(16)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(2)
            n = int.from_bytes(c.recv(2), "big")
            reply = answer(c.recv(n))
            c.sendall(len(reply).to_bytes(2, "big") + reply)
        except OSError:
            pass
        finally:
            c.close()


if __name__ == "__main__":
    for a in sys.argv[1:]:
        threading.Thread(target=serve_udp, args=(a,), daemon=True).start()
        threading.Thread(target=serve_tcp, args=(a,), daemon=True).start()
    threading.Event().wait()
