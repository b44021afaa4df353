// The condensed tree of HDBSCAN, as scikit-learn's `_condense_tree`: walking the dendrogram from
// the root, a split into two parts of at least `minClusterSize` points makes two new clusters;
// a smaller part's points fall out of the cluster at that λ = 1/distance.

struct CondensedEdge: Sendable {
    let parent: Int
    let child: Int
    let lambda: Double
    let size: Int
}

struct CondensedTree: Sendable {
    /// Points are 0..<n; clusters n (the root), n+1, … numbered in breadth-first order, so a
    /// parent's number is below its children's.
    let n: Int
    let edges: [CondensedEdge]
    let clusterCount: Int

    init(merges: [Merge], n: Int, minClusterSize: Int) {
        self.n = n
        let root = 2 * n - 2
        func sizeOf(_ node: Int) -> Int { node >= n ? merges[node - n].size : 1 }
        var relabel = [Int](repeating: 0, count: root + 1)
        relabel[root] = n
        var nextLabel = n + 1
        var ignore = [Bool](repeating: false, count: root + 1)
        var result: [CondensedEdge] = []
        result.reserveCapacity(2 * n)

        func dropSubtree(_ top: Int, parent: Int, lambda: Double) {
            for sub in Self.breadthFirst(merges, from: top, n: n) {
                if sub < n { result.append(CondensedEdge(parent: parent, child: sub, lambda: lambda, size: 1)) }
                ignore[sub] = true
            }
        }

        for node in Self.breadthFirst(merges, from: root, n: n) where node >= n && !ignore[node] {
            let merge = merges[node - n]
            let lambda = merge.distance > 0 ? 1.0 / Double(merge.distance) : .infinity
            let leftCount = sizeOf(merge.left), rightCount = sizeOf(merge.right)
            let parent = relabel[node]
            if leftCount >= minClusterSize && rightCount >= minClusterSize {
                relabel[merge.left] = nextLabel
                nextLabel += 1
                result.append(CondensedEdge(parent: parent, child: relabel[merge.left], lambda: lambda, size: leftCount))
                relabel[merge.right] = nextLabel
                nextLabel += 1
                result.append(CondensedEdge(parent: parent, child: relabel[merge.right], lambda: lambda, size: rightCount))
            } else if leftCount < minClusterSize && rightCount < minClusterSize {
                dropSubtree(merge.left, parent: parent, lambda: lambda)
                dropSubtree(merge.right, parent: parent, lambda: lambda)
            } else if leftCount < minClusterSize {
                relabel[merge.right] = parent
                dropSubtree(merge.left, parent: parent, lambda: lambda)
            } else {
                relabel[merge.left] = parent
                dropSubtree(merge.right, parent: parent, lambda: lambda)
            }
        }
        edges = result
        clusterCount = nextLabel - n
    }

    /// The nodes under `top` (itself included) level by level, as scikit-learn's `bfs_from_hierarchy`.
    static func breadthFirst(_ merges: [Merge], from top: Int, n: Int) -> [Int] {
        var result = [top]
        var start = 0
        while start < result.count {
            let end = result.count
            for index in start..<end where result[index] >= n {
                let merge = merges[result[index] - n]
                result.append(merge.left)
                result.append(merge.right)
            }
            start = end
        }
        return result
    }
}
