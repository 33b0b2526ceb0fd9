//! A document's sorted term ids, stored compactly: each id as its distance from the previous
//! one, seven bits a byte (LEB128). A session's words are a few dozen ids out of tens of
//! thousands, so most distances fit in one or two bytes instead of four. The list is only
//! walked from the start (removing a document, checking a loaded index), never searched.
//!
//! Serialized as the plain sequence of ids, so the stored index format does not depend on it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TermList(Box<[u8]>);

impl TermList {
    /// From ids sorted in strictly ascending order (`None` otherwise).
    pub(crate) fn from_sorted(ids: impl IntoIterator<Item = u32>) -> Option<TermList> {
        let mut bytes = Vec::new();
        let mut prev: Option<u32> = None;
        for id in ids {
            let gap = match prev {
                None => id,
                Some(p) if id > p => id - p,
                Some(_) => return None,
            };
            prev = Some(id);
            let mut g = gap;
            loop {
                let low = (g & 0x7f) as u8;
                g >>= 7;
                if g == 0 {
                    bytes.push(low);
                    break;
                }
                bytes.push(low | 0x80);
            }
        }
        Some(TermList(bytes.into_boxed_slice()))
    }

    /// The ids, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.0.iter();
        let mut prev: Option<u32> = None;
        std::iter::from_fn(move || {
            let mut gap: u32 = 0;
            let mut shift = 0;
            loop {
                let b = *bytes.next()?;
                gap |= u32::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            let id = prev.map_or(gap, |p| p + gap);
            prev = Some(id);
            Some(id)
        })
    }

    /// Heap bytes of the encoding.
    pub(crate) fn byte_len(&self) -> usize {
        self.0.len()
    }
}

impl Serialize for TermList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.iter().count()))?;
        for id in self.iter() {
            seq.serialize_element(&id)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for TermList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TermList, D::Error> {
        let ids = Vec::<u32>::deserialize(d)?;
        TermList::from_sorted(ids)
            .ok_or_else(|| serde::de::Error::custom("term ids not strictly ascending"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Round trip against the plain sorted vector it replaces, directly and through the
        /// stored (postcard) form, which is the vector's own.
        #[test]
        fn same_ids_as_a_sorted_vector(mut ids in proptest::collection::vec(any::<u32>(), 0..200)) {
            ids.sort_unstable();
            ids.dedup();
            let list = TermList::from_sorted(ids.iter().copied()).unwrap();
            prop_assert_eq!(list.iter().collect::<Vec<_>>(), ids.clone());
            let stored = postcard::to_stdvec(&list).unwrap();
            prop_assert_eq!(&stored, &postcard::to_stdvec(&ids).unwrap());
            let back: TermList = postcard::from_bytes(&stored).unwrap();
            prop_assert_eq!(back, list);
        }

        #[test]
        fn unsorted_or_repeated_ids_are_refused(a in any::<u32>(), b in any::<u32>()) {
            prop_assume!(b <= a);
            prop_assert!(TermList::from_sorted([a, b]).is_none());
            let stored = postcard::to_stdvec(&vec![a, b]).unwrap();
            prop_assert!(postcard::from_bytes::<TermList>(&stored).is_err());
        }
    }

    #[test]
    fn small_gaps_take_one_byte() {
        let list = TermList::from_sorted([5, 6, 130, 20_000]).unwrap();
        // 5, 1: one byte each; 124: one; 19,870: three.
        assert_eq!(list.byte_len(), 1 + 1 + 1 + 3);
        assert_eq!(list.iter().collect::<Vec<_>>(), [5, 6, 130, 20_000]);
    }
}
