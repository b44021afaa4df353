// OutputLock: one run at a time writes an -o file. Two runs appending to one checkpoint (make
// run again while an orphaned tool of the killed make still writes, the same command typed in
// two terminals, a host of RUNNER=parallel still running its shard) would each skip only what
// they found at the start and then write the same ids twice. The second run is refused at once.
//
// The lock is a hidden sidecar, DIR/.NAME.lock, held with flock(2) for the whole run, not the
// -o file itself: compaction replaces that file by rename, and on NFS (where Linux turns flock
// into a POSIX lock) closing any other descriptor of a file — reading it back to resume does —
// drops the process's lock on it. Nothing else opens the sidecar. It is removed when the run
// ends; a kill -9 leaves it behind unlocked, and the next run takes it over.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix

/// The exclusive right to write one output file, for as long as this value lives.
public final class OutputLock {
    /// The -o file this lock guards.
    public let path: String
    /// The sidecar file the lock is held on.
    public let lockPath: String
    private var file: FileDescriptor?
    /// Why the file system gave no lock (Lustre mounted without flock, NFS without its lock
    /// service): the run goes on unguarded, as before locks, and the tool says so once.
    public private(set) var unavailable: String?

    /// Another process holds the lock: its run is writing the file now.
    public struct InUse: Error, CustomStringConvertible {
        public var path: String
        public var lockPath: String
        public var description: String {
            "another run is writing \(path) now (it holds \(lockPath)); let it finish or stop it, then run again"
        }
    }

    /// Takes the lock of `path`, or throws `InUse` without waiting when a live run holds it.
    public init(for path: String) throws {
        self.path = path
        lockPath = Self.lockPath(for: path)
        // A run that ends removes the sidecar while it still holds it; one that opened the old
        // sidecar just before then locks a removed file. The lock counts only when the name still
        // leads to the file locked: otherwise open the name again.
        for _ in 0..<64 {
            let candidate = try FileDescriptor.open(lockPath, .readWriteCreating)
            switch try Self.attempt(candidate) {
            case .held:
                throw InUse(path: path, lockPath: lockPath)
            case .unsupported(let reason):
                // Left where it is: it may be the lock of a run on a host where locks work.
                unavailable = "\(lockPath): \(reason)"
                return
            case .locked:
                break
            }
            let own = try candidate.status()
            if let named = try? FileSystem.status(lockPath), named.device == own.device, named.inode == own.inode {
                file = consume candidate
                return
            }
        }
        throw InUse(path: path, lockPath: lockPath)
    }

    private enum Attempt {
        case locked, held, unsupported(String)
    }

    /// flock without waiting: taken, held by another, or not offered by the file system.
    private static func attempt(_ file: borrowing FileDescriptor) throws -> Attempt {
        do {
            return try file.tryLockExclusively() ? .locked : .held
        } catch {
            guard [ENOSYS, EOPNOTSUPP, ENOLCK].contains(error.code) else { throw error }
            return .unsupported(error.reason)
        }
    }

    /// The sidecar of `path`: `.NAME.lock` in the same directory.
    public static func lockPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return directory + "." + name + ".lock"
    }

    /// Removes the sidecar and releases the lock (removed first, so a waiting run never takes a
    /// file that is about to go). Called once more, or by deinit, it does nothing.
    public func release() {
        guard let held = file.take() else { return }
        // Only our own: a sidecar someone removed by hand and another run made anew stays.
        if let named = try? FileSystem.status(lockPath), let own = try? held.status(),
           named.device == own.device, named.inode == own.inode {
            try? FileSystem.remove(lockPath)
        }
        try? held.close()
    }

    deinit { release() }
}
