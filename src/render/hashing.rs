//! Serializing a value straight into a [`Hasher`]: every string, number
//! and flag the value is made of, each after a marker of its type, strings
//! after their length, lists and maps between start and end markers. So
//! two different values feed the hasher different bytes (no value's bytes
//! are the start of another's), without the cost of escaping them as JSON.

use std::fmt;
use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// Feeds `value`, serialized, to `hasher`.
pub fn hash_into<H: Hasher>(value: &impl Serialize, hasher: &mut H) -> Result<(), Error> {
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
    pub const START: u8 = 3;
    pub const END: u8 = 4;
    pub const VARIANT: u8 = 5;
    pub const BOOL: u8 = 6;
    pub const INT: u8 = 7;
    pub const UINT: u8 = 8;
    pub const FLOAT: u8 = 9;
    pub const CHAR: u8 = 10;
    pub const STR: u8 = 11;
    pub const BYTES: u8 = 12;
}

struct HashSerializer<'a, 'h, H>(&'a mut Feed<'h, H>);

impl<H: Hasher> HashSerializer<'_, '_, H> {
    fn mark(&mut self, mark: u8) {
        self.0.put(&[mark]);
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
    fn serialize_seq(mut self, _len: Option<usize>) -> Result<Compound<'a, 'h, H>, Error> {
        self.mark(mark::START);
        Ok(Compound(self.0))
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
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'h, H>, Error> {
        self.serialize_seq(len)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'h, H>, Error> {
        self.variant(index);
        self.serialize_seq(Some(len))
    }
}

impl<H: Hasher> ser::SerializeSeq for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl<H: Hasher> ser::SerializeTuple for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl<H: Hasher> ser::SerializeTupleStruct for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl<H: Hasher> ser::SerializeTupleVariant for Compound<'_, '_, H> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

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
