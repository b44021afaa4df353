// CPUFeatures: which build of a kernel (the MD5 lanes, CRC32C) this CPU can run, from the flags
// line of /proc/cpuinfo (the builds target fixed instruction sets and would crash on an older CPU).
import Posix

public enum CPUFeatures {
    /// The CPU's feature flags (empty when /proc/cpuinfo cannot be read).
    static let flags: Set<String> = {
        guard let bytes = (try? FileSystem.read("/proc/cpuinfo", limit: 64 << 20)) ?? nil else { return [] }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("flags") {
            return Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        }
        return []
    }()

    /// What MD5LanesAVX2 is compiled for (-target-cpu haswell).
    static let haswell = ["avx2", "bmi1", "bmi2", "fma", "movbe", "abm"]
    /// What MD5LanesAVX512 is compiled for (-target-cpu skylake-avx512).
    static let skylakeAVX512 = haswell + ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// What CRC32CSSE42 is compiled for (-target-cpu nehalem).
    public static let nehalem = ["sse4_2", "popcnt", "cx16"]

    /// Whether the CPU has every flag. Always false off x86-64: there the AVX targets are built
    /// for the default CPU (Package.swift) and the portable kernel is the one to run.
    public static func has(_ required: [String]) -> Bool {
        #if arch(x86_64)
        required.allSatisfy(flags.contains)
        #else
        false
        #endif
    }
}
