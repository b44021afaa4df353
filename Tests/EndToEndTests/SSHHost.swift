// SSHHost: a second "host" for RUNNER=parallel with a real SSH server nobody here wrote — Dropbear
// (Debian's dropbear-bin: the server alone, no service) on 127.0.0.1, in a mount namespace of its
// own where /etc/passwd gives the login a home holding only our key and /bin/sh as its shell, so
// the user's own ~/.ssh is never read or touched and nothing else is hidden (the tools and the
// workspace may live under the real home). Logins get what sshd gives (SHELL, HOME, USER, PATH
// from the server, the command through the login shell) plus the environment the server was
// started with (`-e`): the settings a real host keeps in its own environment. The real OpenSSH
// client logs in with a key made for the test; `sshLogin` is that command for GNU parallel.
import Foundation
import TestUtilities

final class SSHHost {
    /// `ssh -p PORT -i KEY … 127.0.0.1`: an entry of GNU parallel's --sshlogin (HOSTS).
    let sshLogin: String
    private let guardian: GuardianShell

    init(environment: [String: String]) throws {
        // A free port can be taken between the look and the bind (tests start servers at once):
        // then again on another.
        var attempt = 1
        while true {
            do {
                (guardian, sshLogin) = try Self.start(environment: environment)
                return
            } catch is PortTaken where attempt < 5 {
                attempt += 1
            }
        }
    }

    private struct PortTaken: Error {}

    private static func start(environment: [String: String]) throws -> (GuardianShell, String) {
        let folder = NSTemporaryDirectory() + "ssh-host-" + UUID().uuidString.prefix(8)
        let home = folder + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        for (path, mode) in [(folder, 0o700), (home, 0o700), (home + "/.ssh", 0o700)] { chmod(path, mode_t(mode)) }
        let keygen = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "imagekit-test", "-f", folder + "/client_key"])
        guard keygen.status == 0 else { throw PipelineTestError("ssh-keygen failed: \(keygen.stderr)") }
        try FileManager.default.copyItem(atPath: folder + "/client_key.pub", toPath: home + "/.ssh/authorized_keys")
        chmod(home + "/.ssh/authorized_keys", 0o600)
        let port = try TestSupport.freePort()
        // The login's home (from passwd) is replaced by `home` for the server alone.
        let command = """
            dropbearkey -t ed25519 -f "\(folder)/host_key" >/dev/null 2>&1 || echo "dropbearkey failed" >"\(folder)/failed"
            dropbear -h 2>&1 | grep -q -e '^-e' || echo "dropbear 2022.82 or newer is needed (-e)" >"\(folder)/failed"
            awk -F: -v OFS=: -v uid="$(id -u)" -v home="\(home)" '$3 == uid { $6 = home; $7 = "/bin/sh" } { print }' \
              /etc/passwd >"\(folder)/passwd"
            unshare -m sh -c 'mount --bind "$1/passwd" /etc/passwd && exec dropbear -F -E -e -s -m -p "127.0.0.1:$2" -r "$1/host_key" -P "$1/pid"' \
              sh "\(folder)" \(port) 2>"\(folder)/log" </dev/null &
            read _ignored
            kill $! 2>/dev/null
            wait
            rm -rf "\(folder)"
            """
        let guardian = try GuardianShell(command, environment: environment)
        // -F /dev/null and IdentitiesOnly: the user's ssh config and agent play no part.
        let sshLogin = "ssh -F /dev/null -p \(port) -i \(folder)/client_key -o IdentitiesOnly=yes -o BatchMode=yes "
            + "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 127.0.0.1"
        let arguments = Array(sshLogin.split(separator: " ").dropFirst().map(String.init)) + ["true"]
        let log = { ((try? String(contentsOfFile: folder + "/failed", encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: folder + "/log", encoding: .utf8)) ?? "") }
        let ready = waitUntil(timeout: 30) {
            FileManager.default.fileExists(atPath: folder + "/failed") || log().contains("Address already in use")
                || (try? ProcessRunner.run("/usr/bin/ssh", arguments))?.status == 0
        }
        guard ready, !FileManager.default.fileExists(atPath: folder + "/failed"), !log().contains("Address already in use") else {
            let text = log()
            guardian.stop()
            if text.contains("Address already in use") { throw PortTaken() }
            throw PipelineTestError("the SSH server (dropbear, from make deps) did not start: \(text)")
        }
        return (guardian, sshLogin)
    }

    /// Stops the server and removes its folder.
    func stop() { guardian.stop() }
}
