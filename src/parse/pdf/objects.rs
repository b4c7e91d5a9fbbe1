//! Small helpers over lopdf objects: matrices, references, numbers, names.

use lopdf::{Dictionary, Document, Object};

// ---------------------------------------------------------------------------------------------
// Matrices (PDF row-vector convention: [a b c d e f])

pub(super) type M = [f64; 6];
pub(super) const IDENT: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

pub(super) fn mul(m: &M, n: &M) -> M {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}
pub(super) fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}
pub(super) fn vec_apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2], x * m[1] + y * m[3])
}

// ---------------------------------------------------------------------------------------------
// Object helpers

pub(super) static NULL: Object = Object::Null;

pub(super) fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(x) => o = x,
                Err(_) => return &NULL,
            },
            _ => return o,
        }
    }
    &NULL
}

pub(super) fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> &'a Object {
    match d.get(key) {
        Ok(o) => deref(doc, o),
        Err(_) => &NULL,
    }
}

pub(super) fn as_dict(o: &Object) -> Option<&Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(super) fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

pub(super) fn nums(doc: &Document, o: &Object) -> Vec<f64> {
    match deref(doc, o) {
        Object::Array(a) => a.iter().filter_map(|x| num(deref(doc, x))).collect(),
        _ => vec![],
    }
}

pub(super) fn name(o: &Object) -> Option<&[u8]> {
    match o {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub(super) fn matrix(doc: &Document, o: &Object) -> Option<M> {
    let v = nums(doc, o);
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

/// Inheritable page attribute (MediaBox, CropBox, Rotate, Resources).
pub(super) fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> &'a Object {
    let mut d = page;
    for _ in 0..32 {
        if let Ok(o) = d.get(key) {
            return deref(doc, o);
        }
        match as_dict(dict_get(doc, d, b"Parent")) {
            Some(p) => d = p,
            None => break,
        }
    }
    &NULL
}
