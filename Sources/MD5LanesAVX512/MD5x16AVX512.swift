// MD5LanesAVX512: MD5Lanes' sixteen-lane kernel compiled for skylake-avx512 (see Package.swift). Callers
// check the CPU first: on an older one these instructions would crash the process.
import MD5Lanes

public enum MD5x16AVX512 {
    public static func compressBlocks(state: UnsafeMutableRawPointer, pointers: UnsafePointer<UnsafeRawPointer>,
                                      strides: UnsafePointer<Int>, count: Int) {
        MD5x16.compressBlocks(state: state, pointers: pointers, strides: strides, count: count)
    }
}
