// SlurmCluster: a one-node Slurm cluster on 127.0.0.1 for a test (scripts/slurm-local.sh: munged
// on a socket of its own, slurmctld -D and slurmd -D, slurm.conf in a temporary folder). A
// GuardianShell owns it: `stop()`, or the end of the test process, makes it stop the daemons
// and remove the folder.
import Foundation
import TestUtilities

final class SlurmCluster {
    /// SLURM_CONF for sbatch, squeue and scancel.
    let configuration: String
    private let guardian: GuardianShell
    private let state = NSTemporaryDirectory() + "slurm-" + UUID().uuidString.prefix(8)

    var environment: [String: String] { ["SLURM_CONF": configuration] }

    init() throws {
        try FileManager.default.createDirectory(atPath: state + "-guardian", withIntermediateDirectories: true)
        let root = PipelineSupport.root
        let out = state + "-guardian"
        let command = """
            "\(root)/scripts/slurm-local.sh" start "\(state)" >"\(out)/env" 2>"\(out)/log" </dev/null \
              || echo failed >"\(out)/failed"
            read _ignored
            "\(root)/scripts/slurm-local.sh" stop "\(state)" 2>/dev/null
            rm -rf "\(out)"
            """
        guardian = try GuardianShell(command)
        let ready = waitUntil(timeout: 90) {
            FileManager.default.fileExists(atPath: out + "/failed") || PipelineSupport.lineCount(out + "/env") >= 1
        }
        guard ready, !FileManager.default.fileExists(atPath: out + "/failed"),
              let line = PipelineSupport.lines(out + "/env").first, line.hasPrefix("export SLURM_CONF=") else {
            let log = (try? String(contentsOfFile: out + "/log", encoding: .utf8)) ?? ""
            guardian.stop()
            throw PipelineTestError("the Slurm cluster did not start (make deps installs slurmctld, slurmd, munge): \(log)")
        }
        configuration = String(line.dropFirst("export SLURM_CONF=".count))
    }

    /// Stops the daemons and waits until they are gone.
    func stop() { guardian.stop() }

    /// A Slurm client command (squeue, scancel) against this cluster; its stdout lines.
    func client(_ program: String, _ arguments: [String]) throws -> [String] {
        let outcome = try ProcessRunner.run("/usr/bin/" + program, arguments, environment: environment)
        guard outcome.status == 0 else { throw PipelineTestError("\(program) \(arguments) failed: \(outcome.stderr)") }
        return outcome.stdoutLines
    }
}
