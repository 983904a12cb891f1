#!/usr/bin/env python3
"""Asks the windows of a process tree to close, as a window manager does for
Alt+F4 or a title-bar close button: a WM_DELETE_WINDOW client message (ICCCM)
to each top-level window whose _NET_WM_PID is ROOT_PID or one of its
descendants. Usage: wm_close.py ROOT_PID. Prints how many windows it asked.
Plain libX11 through ctypes: the test display (Xvfb) runs no window manager."""

import ctypes
import os
import re
import subprocess
import sys


def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def windows_of(pids):
    tree = subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True, check=True).stdout
    for wid in re.findall(r"^\s+(0x[0-9a-f]+) ", tree, re.M):
        props = subprocess.run(["xprop", "-id", wid, "_NET_WM_PID", "WM_PROTOCOLS"], capture_output=True, text=True).stdout
        pid = re.search(r"_NET_WM_PID\(CARDINAL\) = (\d+)", props)
        if pid and int(pid.group(1)) in pids and "WM_DELETE_WINDOW" in props:
            yield int(wid, 16)


class ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
        ("pad", ctypes.c_long * 12),  # an XEvent is 24 longs
    ]


def main():
    pids = descendants(int(sys.argv[1]))
    x = ctypes.cdll.LoadLibrary("libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x.XOpenDisplay(None)
    if not display:
        sys.exit("cannot open the display")
    protocols = x.XInternAtom(display, b"WM_PROTOCOLS", 0)
    delete = x.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    asked = 0
    for window in windows_of(pids):
        ev = ClientMessage()
        ev.type = 33  # ClientMessage
        ev.window = window
        ev.message_type = protocols
        ev.format = 32
        ev.data[0] = delete
        ev.data[1] = 0  # CurrentTime
        x.XSendEvent(display, window, 0, 0, ctypes.byref(ev))
        asked += 1
    x.XFlush(display)
    x.XCloseDisplay(display)
    print(asked)


main()
