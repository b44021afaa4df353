// FileStatus: what stat(2) says about a file, as plain Swift values.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind, size and modification time of a file.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case regular, directory, symbolicLink, other
    }

    public var kind: Kind
    public var size: Int
    /// Modification time: whole seconds since 1970 and the nanoseconds within the second.
    public var modificationSeconds: Int
    public var modificationNanoseconds: Int
    /// The file's identity: the same pair means the same file, whatever name reached it.
    public var device: UInt64
    public var inode: UInt64

    public var isRegularFile: Bool { kind == .regular }
    public var isDirectory: Bool { kind == .directory }

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        size = Int(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        #if canImport(Darwin)
        modificationSeconds = Int(info.st_mtimespec.tv_sec)
        modificationNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modificationSeconds = Int(info.st_mtim.tv_sec)
        modificationNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}
