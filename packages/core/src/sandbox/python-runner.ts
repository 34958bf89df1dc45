/**
 * The Python side of every code sandbox driver, so that each runs code the same way: it defines
 * `_botwire_run(code, output_bytes)`, which runs `code` as a module (the value of a last
 * expression statement is kept as its repr), captures stdout and stderr into one budget of
 * `output_bytes` (cut with a marker beyond), turns an exception into `{type, message}` with
 * the traceback on stderr, and returns a JSON text: `{stdout, stderr, result, error,
 * truncated, files}` where `files` are the plain files of `/tmp/out/` as base64. The driver
 * makes `/tmp/in/` and `/tmp/out/` before, and maps an interruption at the time limit to
 * `TimeoutError` itself.
 */
export const pythonRunnerSource = String.raw`
import ast as _ast, base64 as _base64, io as _io, json as _json, os as _os, sys as _sys, traceback as _traceback

class _BotwireOutput(_io.TextIOBase):
    """One of stdout and stderr; both share a budget of bytes."""

    def __init__(self, budget, name):
        self._budget = budget
        self._parts = []
        self.name = name

    def writable(self):
        return True

    @property
    def encoding(self):
        return "utf-8"

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        budget = self._budget
        if budget["left"] <= 0:
            budget["truncated"] = True
            return len(text)
        data = text.encode("utf-8", "replace")
        if len(data) > budget["left"]:
            data = data[: budget["left"]]
            budget["truncated"] = True
        budget["left"] -= len(data)
        self._parts.append(data)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def value(self):
        return b"".join(self._parts).decode("utf-8", "ignore")


def _botwire_files(folder, limit):
    files = []
    total = 0
    try:
        names = sorted(_os.listdir(folder))
    except OSError:
        return files
    for name in names:
        path = _os.path.join(folder, name)
        if not _os.path.isfile(path) or _os.path.islink(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read(limit - total + 1)
        if total + len(data) > limit:
            break
        total += len(data)
        files.append({"name": name, "data": _base64.b64encode(data).decode("ascii")})
    return files


def _botwire_run(code, output_bytes, files_limit=8 * 1024 * 1024):
    budget = {"left": output_bytes, "truncated": False}
    out = _BotwireOutput(budget, "<stdout>")
    err = _BotwireOutput(budget, "<stderr>")
    saved = (_sys.stdout, _sys.stderr)
    _sys.stdout, _sys.stderr = out, err
    result = None
    error = None
    try:
        tree = _ast.parse(code, "<code>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], _ast.Expr):
            last = _ast.Expression(tree.body.pop().value)
        scope = {"__name__": "__main__", "__builtins__": __builtins__}
        exec(compile(tree, "<code>", "exec"), scope)
        if last is not None:
            value = eval(compile(last, "<code>", "eval"), scope)
            if value is not None:
                text = repr(value)
                result = text if len(text) <= 100_000 else text[:100_000] + "… [truncated]"
    except BaseException as exception:  # SystemExit and KeyboardInterrupt end the code too
        error = {"type": type(exception).__name__, "message": str(exception)}
        try:
            frames = _traceback.extract_tb(exception.__traceback__)
            shown = [frame for frame in frames if frame.filename == "<code>"]
            lines = _traceback.format_list(shown) if shown else []
            err.write("Traceback (most recent call last):\n" + "".join(lines) if lines else "")
            err.write("".join(_traceback.format_exception_only(type(exception), exception)))
        except BaseException:
            pass
    finally:
        _sys.stdout, _sys.stderr = saved
    stdout, stderr = out.value(), err.value()
    if budget["truncated"]:
        marker = "\n[output truncated at %d bytes]\n" % output_bytes
        if stderr:
            stderr += marker
        else:
            stdout += marker
    return _json.dumps(
        {
            "stdout": stdout,
            "stderr": stderr,
            "result": result,
            "error": error,
            "truncated": budget["truncated"],
            "files": _botwire_files("/tmp/out", files_limit),
        },
        ensure_ascii=False,
    )
`;
