// CurrentProcess: facts about and actions on this process that the tools need — its id, the
// number of processors and the exit — the same on Linux and Darwin.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum CurrentProcess {
    /// The process id (names temporary files that must not collide between processes).
    public static var id: Int32 { getpid() }

    /// Processors online (at least 1).
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Ends the process with `status` (flushing stdio, running atexit handlers).
    public static func exit(_ status: Int32) -> Never {
        posixExit(status)
    }
}
