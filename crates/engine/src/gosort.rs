//! Go's `container/heap` and small-slice `sort.Sort` reproduced step for step: topk, bottomk,
//! limitk and sort order ties exactly as Prometheus does, which only the same algorithm gives.
//! Also the xxhash64 of a label set (Prometheus's `Labels.Hash`), which `limit_ratio` samples by.

/// Moves element `j` up while it is "less" than its parent.
fn up<T>(h: &mut [T], mut j: usize, less: &impl Fn(&T, &T) -> bool) {
    while j > 0 {
        let i = (j - 1) / 2;
        if !less(&h[j], &h[i]) {
            break;
        }
        h.swap(i, j);
        j = i;
    }
}

fn down<T>(h: &mut [T], i0: usize, n: usize, less: &impl Fn(&T, &T) -> bool) -> bool {
    let mut i = i0;
    loop {
        let j1 = 2 * i + 1;
        if j1 >= n {
            break;
        }
        let mut j = j1;
        let j2 = j1 + 1;
        if j2 < n && less(&h[j2], &h[j1]) {
            j = j2;
        }
        if !less(&h[j], &h[i]) {
            break;
        }
        h.swap(i, j);
        i = j;
    }
    i > i0
}

pub(crate) fn heap_push<T>(h: &mut Vec<T>, x: T, less: &impl Fn(&T, &T) -> bool) {
    h.push(x);
    let n = h.len() - 1;
    up(h, n, less);
}

pub(crate) fn heap_fix<T>(h: &mut [T], i: usize, less: &impl Fn(&T, &T) -> bool) {
    let n = h.len();
    if !down(h, i, n, less) {
        up(h, i, less);
    }
}

/// Go's `sort.Sort` (pdqsort): insertion sort below 13 elements, which is what every realistic
/// tie-order question hits; larger inputs use a stable merge sort, which agrees whenever keys
/// differ and, unlike `slice::sort_by`, cannot panic on a comparator that is not a total order.
pub(crate) fn go_sort<T: Clone>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    if v.len() <= 12 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
    } else {
        merge_sort(v, &less);
    }
}

/// Stable top-down merge sort driven by a "less" function.
pub(crate) fn merge_sort<T: Clone>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], less);
    merge_sort(&mut v[mid..], less);
    let mut merged: Vec<T> = Vec::with_capacity(n);
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        // Take from the right only when strictly less, which keeps equal keys in order.
        if less(&v[j], &v[i]) {
            merged.push(v[j].clone());
            j += 1;
        } else {
            merged.push(v[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..n]);
    v.clone_from_slice(&merged);
}

const P1: u64 = 11_400_714_785_074_694_791;
const P2: u64 = 14_029_467_366_897_019_727;
const P3: u64 = 1_609_587_929_392_839_161;
const P4: u64 = 9_650_029_242_287_828_579;
const P5: u64 = 2_870_177_450_012_600_261;

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1)
}

fn merge_round(acc: u64, val: u64) -> u64 {
    (acc ^ round(0, val)).wrapping_mul(P1).wrapping_add(P4)
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(i..i + 8) {
        a.copy_from_slice(s);
    }
    u64::from_le_bytes(a)
}

fn u32_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 4];
    if let Some(s) = b.get(i..i + 4) {
        a.copy_from_slice(s);
    }
    u64::from(u32::from_le_bytes(a))
}

/// XXH64 with seed 0.
pub(crate) fn xxhash64(b: &[u8]) -> u64 {
    let n = b.len();
    let mut i = 0;
    let mut h = if n >= 32 {
        let (mut v1, mut v2, mut v3, mut v4) = (P1.wrapping_add(P2), P2, 0u64, 0u64.wrapping_sub(P1));
        while i + 32 <= n {
            v1 = round(v1, u64_at(b, i));
            v2 = round(v2, u64_at(b, i + 8));
            v3 = round(v3, u64_at(b, i + 16));
            v4 = round(v4, u64_at(b, i + 24));
            i += 32;
        }
        let mut h = v1
            .rotate_left(1)
            .wrapping_add(v2.rotate_left(7))
            .wrapping_add(v3.rotate_left(12))
            .wrapping_add(v4.rotate_left(18));
        h = merge_round(h, v1);
        h = merge_round(h, v2);
        h = merge_round(h, v3);
        merge_round(h, v4)
    } else {
        P5
    };
    h = h.wrapping_add(n as u64);
    while i + 8 <= n {
        h ^= round(0, u64_at(b, i));
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        i += 8;
    }
    if i + 4 <= n {
        h ^= u32_at(b, i).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        i += 4;
    }
    while i < n {
        h ^= u64::from(b[i]).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
        i += 1;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

/// Prometheus's `Labels.Hash()`: xxhash64 over `name 0xff value 0xff …`.
pub(crate) fn labels_hash(l: &model::Labels) -> u64 {
    let mut b = Vec::with_capacity(64);
    for x in l {
        b.extend_from_slice(x.name.as_bytes());
        b.push(0xff);
        b.extend_from_slice(x.value.as_bytes());
        b.push(0xff);
    }
    xxhash64(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxhash_known_values() {
        assert_eq!(xxhash64(b""), 0xef46_db37_51d8_e999);
        assert_eq!(xxhash64(b"a"), 0xd24e_c4f1_a98c_6e5b);
        assert_eq!(xxhash64(b"abc"), 0x44bc_2cf5_ad77_0999);
    }

    #[test]
    fn heap_keeps_smallest_on_top() {
        let less = |a: &i32, b: &i32| a < b;
        let mut h = Vec::new();
        for x in [5, 3, 8, 1] {
            heap_push(&mut h, x, &less);
        }
        assert_eq!(h[0], 1);
    }
}
