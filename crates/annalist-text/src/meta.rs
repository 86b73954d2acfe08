pub fn detect(_doc: &mut annalist_doc::Doc) {}
