// Throws while the file itself runs (before create).
'use strict';
throw new Error('top-level code exploded on purpose');
