// PseudoTerminal: runs a command with a pseudo-terminal as its controlling terminal (Python's pty
// module from the test venv), as a person at a terminal runs it, and types the answers to its
// questions: each answer once the expected text has appeared, after a pause when asked (to see
// that nothing is drawn over a waiting question).
import Foundation

enum PseudoTerminal {
    struct Answer {
        var after: String
        var type: String
        var pause: Double = 0
    }

    struct Outcome {
        var status: Int32
        /// Everything written to the terminal, the typed answers echoed in it.
        var transcript: String
    }

    /// The driver: reads the terminal until each expected text (searched after the previous
    /// one), types the answer, then reads to the end. Exit status 124 when a text never came.
    static let driver = """
        import json, os, pty, select, sys, time
        answers, transcript_path, argv = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3:]
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(argv[0], argv)
        out, searched_to = b"", 0
        def pump(seconds):
            global out
            r, _, _ = select.select([fd], [], [], seconds)
            if not r:
                return True
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            out += chunk
            return bool(chunk)
        status = None
        for answer in answers:
            want, deadline = answer["after"].encode(), time.monotonic() + 240
            while out.find(want, searched_to) < 0 and time.monotonic() < deadline:
                if not pump(0.2):
                    break
            found = out.find(want, searched_to)
            if found < 0:
                status = 124
                break
            searched_to = found + len(want)
            end = time.monotonic() + answer["pause"]
            while time.monotonic() < end:
                pump(max(0.0, end - time.monotonic()))
            os.write(fd, answer["type"].encode())
        if status is None:
            while pump(240):
                pass
        else:
            os.kill(pid, 15)
        _, code = os.waitpid(pid, 0)
        open(transcript_path, "wb").write(out)
        sys.exit(status if status is not None else (os.waitstatus_to_exitcode(code) & 0xFF))
        """

    /// Runs `command` (argv) in `directory` under a pseudo-terminal, typing `answers`.
    static func run(_ command: [String], answers: [Answer], in directory: String, environment: [String: String],
                    transcript: String) throws -> Outcome {
        let plan = try JSONSerialization.data(withJSONObject: answers.map { ["after": $0.after, "type": $0.type, "pause": $0.pause] as [String: Any] })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineSupport.python)
        process.arguments = ["-c", driver, String(decoding: plan, as: UTF8.self), transcript] + command
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: FileManager.default.contents(atPath: transcript) ?? Data(), as: UTF8.self)
        return Outcome(status: process.terminationStatus, transcript: text)
    }
}
