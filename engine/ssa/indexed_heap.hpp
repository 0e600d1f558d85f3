#pragma once
// A binary min-heap of (time, reaction) with the position of every reaction kept, so that one
// reaction's time can be changed in O(log n) (Gibson & Bruck 2000's "indexed priority queue").
// Sized once; no operation allocates.
// Invariant: node_[position_[r]].reaction == r for every r, and every node's time is <= its
// children's times.
#include <cstdint>
#include <utility>
#include <vector>

namespace nkappa {

class IndexedHeap {
 public:
  struct Node {
    double time;
    std::int32_t reaction;
  };

  explicit IndexedHeap(std::int32_t size)
      : node_(static_cast<std::size_t>(size)), position_(static_cast<std::size_t>(size)) {}

  // Rebuilds the heap from time[r] for every reaction, in O(n).
  void build(const double* time) {
    const auto n = static_cast<std::int32_t>(node_.size());
    for (std::int32_t r = 0; r < n; ++r) node_[r] = Node{time[r], r};
    for (std::int32_t i = n / 2 - 1; i >= 0; --i) sift_down(i);
    for (std::int32_t i = 0; i < n; ++i) position_[node_[i].reaction] = i;
  }

  const Node& top() const { return node_.front(); }
  bool empty() const { return node_.empty(); }

  void update(std::int32_t reaction, double time) {
    const std::int32_t i = position_[reaction];
    const double old = node_[i].time;
    node_[i].time = time;
    if (time < old)
      sift_up(i);
    else if (time > old)
      sift_down(i);
  }

 private:
  void place(std::int32_t i, const Node& n) {
    node_[i] = n;
    position_[n.reaction] = i;
  }

  void sift_up(std::int32_t i) {
    const Node moving = node_[i];
    while (i > 0) {
      const std::int32_t parent = (i - 1) / 2;
      if (!(moving.time < node_[parent].time)) break;
      place(i, node_[parent]);
      i = parent;
    }
    place(i, moving);
  }

  void sift_down(std::int32_t i) {
    const auto n = static_cast<std::int32_t>(node_.size());
    const Node moving = node_[i];
    for (;;) {
      std::int32_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && node_[child + 1].time < node_[child].time) ++child;
      if (!(node_[child].time < moving.time)) break;
      place(i, node_[child]);
      i = child;
    }
    place(i, moving);
  }

  std::vector<Node> node_;
  std::vector<std::int32_t> position_;
};

}  // namespace nkappa
