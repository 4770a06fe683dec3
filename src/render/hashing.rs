//! Serializing a value straight into a [`Hasher`]: every string, number
//! and flag the value is made of, each after a marker of its type, strings
//! after their length, lists and maps between start and end markers. So
//! two different values feed the hasher different bytes (no value's bytes
//! are the start of another's), without the cost of escaping them as JSON.
//!
//! This serializer is not human-readable
//! ([`Serializer::is_human_readable`](ser::Serializer::is_human_readable)):
//! a value shown on many pages may stand in it for its own hash, computed
//! once (see [`Listed`](super::cards::Listed)).

use std::fmt;
use std::hash::{DefaultHasher, Hasher};

use serde::ser::{self, Serialize};

/// The hash of `value`, serialized.
pub fn hash(value: &(impl Serialize + ?Sized)) -> Result<u64, Error> {
    let mut hasher = DefaultHasher::new();
    hash_into(value, &mut hasher)?;
    Ok(hasher.finish())
}

/// Feeds `value`, serialized, to `hasher`.
fn hash_into<H: Hasher>(value: &(impl Serialize + ?Sized), hasher: &mut H) -> Result<(), Error> {
    let mut feed = Feed {
        hasher,
        buffer: [0; BUFFER],
        len: 0,
    };
    value.serialize(HashSerializer(&mut feed))?;
    feed.flush();
    Ok(())
}

/// Bytes gathered before they are fed to the hasher: a value is mostly
/// short parts (markers, lengths, names), and a hasher is fastest fed
/// many bytes at once.
const BUFFER: usize = 512;

/// A hasher fed through a buffer.
struct Feed<'a, H> {
    hasher: &'a mut H,
    buffer: [u8; BUFFER],
    len: usize,
}

impl<H: Hasher> Feed<'_, H> {
    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > BUFFER {
            self.flush();
        }
        if bytes.len() > BUFFER / 2 {
            self.hasher.write(bytes);
        } else {
            self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    fn flush(&mut self) {
        self.hasher.write(&self.buffer[..self.len]);
        self.len = 0;
    }
}

/// Why a value could not be serialized (its `Serialize` failed).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// What comes next in the bytes fed to the hasher.
mod mark {
    pub const NONE: u8 = 0;
    pub const SOME: u8 = 1;
    pub const UNIT: u8 = 2;
    pub const SEQ: u8 = 3;
    pub const END: u8 = 4;
    pub const VARIANT: u8 = 5;
    pub const BOOL: u8 = 6;
    pub const INT: u8 = 7;
    pub const UINT: u8 = 8;
    pub const FLOAT: u8 = 9;
    pub const CHAR: u8 = 10;
    pub const STR: u8 = 11;
    pub const BYTES: u8 = 12;
    pub const MAP: u8 = 13;
    pub const STRUCT: u8 = 14;
}

struct HashSerializer<'a, 'h, H>(&'a mut Feed<'h, H>);

impl<'a, 'h, H: Hasher> HashSerializer<'a, 'h, H> {
    fn mark(&mut self, mark: u8) {
        self.0.put(&[mark]);
    }

    /// Starts a list, map or struct, `mark` telling which.
    fn open(mut self, mark: u8) -> Compound<'a, 'h, H> {
        self.mark(mark);
        Compound(self.0)
    }

    fn variant(&mut self, index: u32) {
        self.mark(mark::VARIANT);
        self.0.put(&index.to_le_bytes());
    }
}

/// A list, map or struct being serialized: its items, then [`mark::END`].
struct Compound<'a, 'h, H>(&'a mut Feed<'h, H>);

impl<H: Hasher> Compound<'_, '_, H> {
    fn item(&mut self, value: &(impl Serialize + ?Sized)) -> Result<(), Error> {
        value.serialize(HashSerializer(&mut *self.0))
    }

    fn end(self) -> Result<(), Error> {
        self.0.put(&[mark::END]);
        Ok(())
    }
}

impl<'a, 'h, H: Hasher> ser::Serializer for HashSerializer<'a, 'h, H> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'h, H>;
    type SerializeTuple = Compound<'a, 'h, H>;
    type SerializeTupleStruct = Compound<'a, 'h, H>;
    type SerializeTupleVariant = Compound<'a, 'h, H>;
    type SerializeMap = Compound<'a, 'h, H>;
    type SerializeStruct = Compound<'a, 'h, H>;
    type SerializeStructVariant = Compound<'a, 'h, H>;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(mut self, v: bool) -> Result<(), Error> {
        self.mark(mark::BOOL);
        self.0.put(&[v.into()]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(mut self, v: i64) -> Result<(), Error> {
        self.mark(mark::INT);
        self.0.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(mut self, v: i128) -> Result<(), Error> {
        self.mark(mark::INT);
        self.0.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(mut self, v: u64) -> Result<(), Error> {
        self.mark(mark::UINT);
        self.0.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(mut self, v: u128) -> Result<(), Error> {
        self.mark(mark::UINT);
        self.0.put(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), Error> {
        self.mark(mark::FLOAT);
        self.0.put(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Result<(), Error> {
        self.mark(mark::CHAR);
        self.0.put(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Error> {
        self.mark(mark::STR);
        self.0.put(&(v.len() as u64).to_le_bytes());
        self.0.put(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Error> {
        self.mark(mark::BYTES);
        self.0.put(&(v.len() as u64).to_le_bytes());
        self.0.put(v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), Error> {
        self.mark(mark::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<(), Error> {
        self.mark(mark::SOME);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), Error> {
        self.mark(mark::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
    ) -> Result<(), Error> {
        self.variant(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'h, H>, Error> {
        Ok(self.open(mark::SEQ))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'h, H>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        self.variant(index);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'h, H>, Error> {
        Ok(self.open(mark::MAP))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        Ok(self.open(mark::STRUCT))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        self.variant(index);
        Ok(self.open(mark::STRUCT))
    }
}

/// The compounds whose parts are hashed one after another, unnamed.
macro_rules! hash_parts {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<H: Hasher> ser::$trait for Compound<'_, '_, H> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.item(value)
            }
            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

hash_parts!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<H: Hasher> ser::SerializeMap for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.item(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// A struct's fields are hashed by value, in order: the field names are
/// the same for every value of the struct.
impl<H: Hasher> ser::SerializeStruct for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.item(value)
    }
    fn skip_field(&mut self, _key: &'static str) -> Result<(), Error> {
        self.0.put(&[mark::NONE]);
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl<H: Hasher> ser::SerializeStructVariant for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;

    #[test]
    fn different_values_feed_different_bytes() {
        let values = [
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!(0.0),
            json!(""),
            json!("ab"),
            json!([]),
            json!([[]]),
            json!([""]),
            json!(["ab"]),
            json!(["a", "b"]),
            json!({}),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": false, "b": 1}),
            json!({"a": 0, "b": 1}),
        ];
        let hashes: HashSet<u64> = values.iter().map(|v| hash(v).unwrap()).collect();
        assert_eq!(hashes.len(), values.len());
        assert_eq!(
            hash(&json!(["a", "b"])).unwrap(),
            hash(&("a", "b")).unwrap()
        );
    }

    #[test]
    fn a_value_that_cannot_be_serialized_is_an_error() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("broken"))
            }
        }
        assert_eq!(hash(&[Broken]).unwrap_err().to_string(), "broken");
    }
}
