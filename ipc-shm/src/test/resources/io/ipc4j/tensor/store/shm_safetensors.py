"""Reads or writes a safetensors tensor store in POSIX shared memory, with numpy only.

    python3 shm_safetensors.py read NAME    -> prints a JSON report of every tensor
    python3 shm_safetensors.py write NAME   -> creates NAME (a valid safetensors layout) and leaves it

Used by ipc4j's PythonInteropTest; independent of ipc4j's Java code.
"""
import json
import struct
import sys

import numpy as np
from multiprocessing import resource_tracker, shared_memory

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
          "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?", "BF16": "<u2"}


def attach(name, create=False, size=0):
    """Opens a segment without letting Python's resource tracker unlink it at exit."""
    try:
        shm = shared_memory.SharedMemory(name=name, create=create, size=size, track=False)  # 3.13+
    except TypeError:
        shm = shared_memory.SharedMemory(name=name, create=create, size=size)
        resource_tracker.unregister(shm._name, "shared_memory")
    return shm


def read(name):
    shm = attach(name)
    try:
        buf = shm.buf
        (n,) = struct.unpack("<Q", bytes(buf[:8]))
        header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
        data_start = 8 + n
        meta = header.pop("__metadata__", {})
        report = {"size": shm.size, "data_start": data_start, "metadata": meta, "tensors": {}}
        covered = 0
        for tname, info in header.items():
            begin, end = info["data_offsets"]
            dt = np.dtype(DTYPES[info["dtype"]])
            arr = np.frombuffer(buf, dtype=dt, count=(end - begin) // dt.itemsize, offset=data_start + begin)
            arr = arr.reshape(info["shape"])
            if info["dtype"] == "BF16":
                arr = (arr.astype(np.uint32) << 16).view(np.float32)
            covered += end - begin
            report["tensors"][tname] = {
                "dtype": info["dtype"],
                "shape": list(arr.shape),
                "sum": float(arr.astype(np.float64).sum()),
                "values": [float(x) for x in arr.reshape(-1)[:8]],
                "aligned": (data_start + begin) % dt.itemsize == 0,
            }
            del arr
        report["covered"] = covered
        print(json.dumps(report, sort_keys=True))
    finally:
        del buf
        shm.close()


def write(name):
    tensors = {
        "ids": np.array([10, 20, 30, 40, -50], dtype="<i8"),
        "weights": (np.arange(12, dtype="<f4") * 0.5).reshape(3, 4),
        "mask": np.array([1, 0, 1], dtype="u1"),
    }
    names = {np.dtype("<i8"): "I64", np.dtype("<f4"): "F32", np.dtype("u1"): "U8"}
    header = {"__metadata__": {"format": "np", "writer": "python"}}
    offset = 0
    for tname, arr in tensors.items():  # already in descending itemsize order
        header[tname] = {"dtype": names[arr.dtype], "shape": list(arr.shape),
                         "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    size = 8 + len(text) + offset
    shm = attach(name, create=True, size=size)
    try:
        shm.buf[:8] = struct.pack("<Q", len(text))
        shm.buf[8:8 + len(text)] = text
        pos = 8 + len(text)
        for arr in tensors.values():
            shm.buf[pos:pos + arr.nbytes] = arr.tobytes()
            pos += arr.nbytes
        print("ok")
    finally:
        shm.close()


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
