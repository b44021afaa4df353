// The single-linkage dendrogram of a spanning tree, as scikit-learn's `make_single_linkage`:
// edges by weight, each merge a new node n, n+1, … with its two children and size.

struct Merge: Sendable {
    let left: Int
    let right: Int
    let distance: Float
    let size: Int
}

enum SingleLinkage {
    static func merges(_ edges: [SpanningEdge], n: Int) -> [Merge] {
        // A stable order: equal weights keep Prim's order (scikit-learn's quicksort may differ
        // there, which only reorders merges at one height).
        let sorted = edges.enumerated().sorted {
            $0.element.weight < $1.element.weight || ($0.element.weight == $1.element.weight && $0.offset < $1.offset)
        }.map(\.element)
        var parent = Array(0..<(2 * n - 1))
        var size = [Int](repeating: 1, count: 2 * n - 1)
        func find(_ x: Int) -> Int {
            var root = x
            while parent[root] != root { root = parent[root] }
            var node = x
            while parent[node] != root {
                let next = parent[node]
                parent[node] = root
                node = next
            }
            return root
        }
        var merges: [Merge] = []
        merges.reserveCapacity(n - 1)
        for (i, edge) in sorted.enumerated() {
            let a = find(edge.from), b = find(edge.to)
            let node = n + i
            size[node] = size[a] + size[b]
            merges.append(Merge(left: a, right: b, distance: edge.weight, size: size[node]))
            parent[a] = node
            parent[b] = node
        }
        return merges
    }
}
