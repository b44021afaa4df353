// CPUFeatures: which build of the MD5 kernel this CPU can run, from the flags line of
// /proc/cpuinfo (the builds target fixed instruction sets and would crash on an older CPU).
#if canImport(Glibc)
import Glibc
#endif

enum CPUFeatures {
    /// The CPU's feature flags (empty when /proc/cpuinfo cannot be read).
    static let flags: Set<String> = {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("flags") else { continue }
            return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        return []
    }()

    /// What MD5LanesAVX2 is compiled for (-target-cpu haswell).
    static let haswell = ["avx2", "bmi1", "bmi2", "fma", "movbe", "abm"]
    /// What MD5LanesAVX512 is compiled for (-target-cpu skylake-avx512).
    static let skylakeAVX512 = haswell + ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// Whether the CPU has every flag. Always false off x86-64: there the AVX targets are built
    /// for the default CPU (Package.swift) and the portable kernel is the one to run.
    static func has(_ required: [String]) -> Bool {
        #if arch(x86_64)
        required.allSatisfy(flags.contains)
        #else
        false
        #endif
    }
}
