"""A local MNIST mirror for the download tests, on 127.0.0.1 only.

    python3 mnist_server.py DIR      prints the port it listens on, then serves until killed.

/good/NAME     the file from DIR as it is
/corrupt/NAME  a valid gzip whose decompressed bytes differ from DIR's in one byte
/drop/NAME     announces the whole length, sends half, and closes the connection
/endless/NAME  a chunked body that never ends (1 MB chunks)
/huge/NAME     announces a Content-Length of 1 TB
/silent/NAME   accepts the request and never answers
anything else  404
"""
import gzip, os, socket, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[1]
CORRUPTED = {}  # name -> body, made once: recompressing 47 MB takes a while


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "silent":
            time.sleep(3600)
            return
        if len(parts) == 2 and parts[0] == "huge":
            self.send_response(200)
            self.send_header("Content-Length", str(1 << 40))
            self.end_headers()
            self.wfile.write(b"\0" * 1024)
            return
        if len(parts) == 2 and parts[0] == "endless":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"%x\r\n" % (1 << 20) + b"\0" * (1 << 20) + b"\r\n"
            try:
                while True:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return
        if len(parts) != 2 or parts[0] not in ("good", "corrupt", "drop"):
            self.send_error(404)
            return
        mode, name = parts
        path = os.path.join(ROOT, os.path.basename(name))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        body = open(path, "rb").read()
        if mode == "corrupt":
            if name not in CORRUPTED:
                raw = bytearray(gzip.decompress(body))
                raw[len(raw) // 2] ^= 0xFF
                CORRUPTED[name] = gzip.compress(bytes(raw), compresslevel=1)
            body = CORRUPTED[name]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "drop":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
