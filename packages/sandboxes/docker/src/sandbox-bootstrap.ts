import { pythonRunnerSource } from '@botwire/core';

/** What the driver writes to the container's stdin: one line, after this prefix. */
export const requestPrefix = 'BOTWIRE-REQUEST ';

/** The lines that frame the bootstrap's own output on the container's stdout. */
export function resultMarkers(nonce: string): { started: string; begin: string; end: string } {
  return {
    started: `\n@@botwire-started-${nonce}@@\n`,
    begin: `\n@@botwire-result-${nonce}@@\n`,
    end: `\n@@botwire-end-${nonce}@@\n`,
  };
}

/** The request the bootstrap reads from stdin. */
export interface SandboxRequest {
  /** Names this run's markers, so output the code writes itself is not taken for the result. */
  nonce: string;
  code: string;
  /** Input files, their data as base64. */
  files: { name: string; data: string }[];
  output_bytes: number;
  files_limit: number;
}

/**
 * The Python program a container runs (`python3 -I -c <this>`): it reads one request line from
 * stdin (anything before the prefix is skipped: some clients send their attach options as a
 * body that Docker may pass on), makes `/tmp/in` with the files and an empty `/tmp/out`, says it
 * started, runs the code with the shared runner and writes the runner's JSON between two marker
 * lines to a copy of stdout made before the code ran. It then ends at once, so threads the code
 * left behind cannot add to the output.
 */
export const bootstrapSource = `${pythonRunnerSource}

def _botwire_main():
    prefix = ${JSON.stringify(requestPrefix)}.encode("ascii")
    line = _sys.stdin.buffer.readline()
    start = line.find(prefix)
    if start < 0:
        _sys.stderr.write("botwire: no request on stdin\\n")
        _os._exit(70)
    request = _json.loads(line[start + len(prefix):].decode("utf-8"))
    nonce = request["nonce"]
    null = _os.open(_os.devnull, _os.O_RDONLY)
    _os.dup2(null, 0)
    _os.close(null)
    _os.makedirs("/tmp/in", exist_ok=True)
    _os.makedirs("/tmp/out", exist_ok=True)
    for item in request["files"]:
        with open(_os.path.join("/tmp/in", item["name"]), "wb") as handle:
            handle.write(_base64.b64decode(item["data"]))
    out = _os.fdopen(_os.dup(1), "wb")
    out.write(("\\n@@botwire-started-%s@@\\n" % nonce).encode("ascii"))
    out.flush()
    del request["files"]
    answer = _botwire_run(request["code"], request["output_bytes"], request["files_limit"])
    out.write(("\\n@@botwire-result-%s@@\\n" % nonce).encode("ascii"))
    out.write(answer.encode("utf-8", "replace"))
    out.write(("\\n@@botwire-end-%s@@\\n" % nonce).encode("ascii"))
    out.flush()
    _os._exit(0)

_botwire_main()
`;
