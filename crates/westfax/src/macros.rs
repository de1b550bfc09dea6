//! Small macros for the operation types: optional setters.

/// Setters for optional fields: `strings { a, b }` take `impl Into<String>`, `values { c: T }` take
/// `impl Into<Option<T>>`, `lists { d: T }` take an iterator of `impl Into<T>`.
macro_rules! setters {
    ($ty:ident {
        $( strings { $( $(#[$sm:meta])* $s:ident ),* $(,)? } )?
        $( values { $( $(#[$vm:meta])* $v:ident : $vt:ty ),* $(,)? } )?
        $( lists { $( $(#[$lm:meta])* $l:ident : $lt:ty ),* $(,)? } )?
    }) => {
        impl $ty {
            $($(
                $(#[$sm])*
                pub fn $s(mut self, value: impl Into<String>) -> Self {
                    self.$s = Some(value.into());
                    self
                }
            )*)?
            $($(
                $(#[$vm])*
                pub fn $v(mut self, value: impl Into<Option<$vt>>) -> Self {
                    self.$v = value.into();
                    self
                }
            )*)?
            $($(
                $(#[$lm])*
                pub fn $l<I: Into<$lt>>(mut self, values: impl IntoIterator<Item = I>) -> Self {
                    self.$l = values.into_iter().map(Into::into).collect();
                    self
                }
            )*)?
        }
    };
}

pub(crate) use setters;
