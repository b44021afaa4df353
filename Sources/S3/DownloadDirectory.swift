// DownloadDirectory: s3fetch's --dir made ready before any download — the folder and its
// parents, and the default log file DIR/logs/s3fetch-YYYYmmdd-HHMMSS.log of the reference tool.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix

public enum DownloadDirectory {
    /// Creates DIR and, unless a log file is given, DIR/logs; returns the log file: the given
    /// one or DIR/logs/s3fetch-YYYYmmdd-HHMMSS.log as in the reference tool.
    public static func prepare(_ directory: String, logFile: String?) throws(SystemError) -> String {
        try FileSystem.makeDirectories(directory)
        if let logFile { return logFile }
        let logs = directory + "/logs"
        try FileSystem.makeDirectories(logs)
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y%m%d-%H%M%S", &parts)
        return logs + "/s3fetch-" + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + ".log"
    }
}
