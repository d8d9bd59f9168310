//! Typed identities: a page, a section and a copied file are each named by its place in the
//! site's lists, with a type per list so that one can never be taken for another, and
//! [`IdVec`]s hold something for each (links, backlinks, related reading).

use super::{OutputAsset, Page, Section};

/// Defines a typed index into a `Vec` of the model, so that a page's id can never be taken
/// for a section's.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident indexes $item:ty) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub usize);

        impl Id for $name {
            fn index(self) -> usize {
                self.0
            }
            fn at(i: usize) -> Self {
                Self(i)
            }
        }

        impl std::ops::Index<$name> for [$item] {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.0]
            }
        }

        impl std::ops::IndexMut<$name> for [$item] {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.0]
            }
        }

        impl std::ops::Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.0]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.0]
            }
        }
    };
}

index_type!(
    /// A page's place in [`Site::pages`].
    PageId indexes Page
);
index_type!(
    /// A section's place in [`Site::sections`]; the home page is [`SectionId::HOME`].
    SectionId indexes Section
);
index_type!(
    /// A copied file's place in [`Site::assets`].
    AssetId indexes OutputAsset
);

impl SectionId {
    /// The home page's section.
    pub const HOME: SectionId = SectionId(0);
}

/// A typed index: a place in one of the model's lists.
pub trait Id: Copy {
    /// The place in the list.
    fn index(self) -> usize;
    /// The id of place `i`.
    fn at(i: usize) -> Self;
}

/// Something for each item of one of the model's lists, indexed by that list's id type.
#[derive(Debug, Clone, PartialEq)]
pub struct IdVec<I, T> {
    values: Vec<T>,
    id: std::marker::PhantomData<I>,
}

/// Something for every page: links, backlinks, related reading.
pub(crate) type PerPage<T> = IdVec<PageId, T>;
/// Something for every section: the links of its own text.
pub(crate) type PerSection<T> = IdVec<SectionId, T>;

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl<I, T> IdVec<I, T> {
    /// One value per item, in the list's order.
    pub fn new(values: Vec<T>) -> Self {
        Self {
            values,
            id: std::marker::PhantomData,
        }
    }

    /// How many items have a value.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no item has a value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values, in the list's order.
    pub fn values(&self) -> &[T] {
        &self.values
    }
}

impl<I: Id, T> IdVec<I, T> {
    /// Each item's id with its value.
    pub fn iter(&self) -> impl Iterator<Item = (I, &T)> {
        self.values.iter().enumerate().map(|(i, v)| (I::at(i), v))
    }

    /// The value of `id`, if it has one.
    pub fn get(&self, id: I) -> Option<&T> {
        self.values.get(id.index())
    }
}

impl<I: Id, T> std::ops::Index<I> for IdVec<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.values[id.index()]
    }
}

impl<I: Id, T> std::ops::IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.values[id.index()]
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Self::new(iter.into_iter().collect())
    }
}
