#!/usr/bin/env python3
"""Draws assets/logos/bamex25.png: the demo event's emblem, made for Gatehouse
(no third-party artwork). A dark-green ring around Mali's green-gold-red
tricolour with a white star. Pure standard library: zlib + struct."""
import math, struct, zlib, os

N, SS = 240, 4                      # output size, supersampling
GREEN, GOLD, RED = (20, 181, 58), (252, 209, 22), (206, 17, 38)
RING, WHITE = (20, 83, 45), (255, 255, 255)

def star(x, y, cx, cy, r_out, r_in):
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = r_out if k % 2 == 0 else r_in
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    inside = False
    for i in range(10):
        (x1, y1), (x2, y2) = pts[i], pts[(i + 1) % 10]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside

def colour(x, y):
    c = N / 2
    d = math.hypot(x - c, y - c)
    if d > 0.49 * N:
        return WHITE
    if d > 0.40 * N:
        return RING
    if star(x, y, c, c + 0.02 * N, 0.22 * N, 0.09 * N):
        return WHITE
    third = (x - (c - 0.40 * N)) / (0.80 * N)
    return GREEN if third < 1 / 3 else GOLD if third < 2 / 3 else RED

rows = []
for py in range(N):
    row = bytearray([0])
    for px in range(N):
        acc = [0, 0, 0]
        for sy in range(SS):
            for sx in range(SS):
                r, g, b = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                acc[0] += r; acc[1] += g; acc[2] += b
        row += bytes(v // (SS * SS) for v in acc)
    rows.append(bytes(row))

def chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bamex25.png")
open(out, "wb").write(png)
print(out, len(png), "bytes")
