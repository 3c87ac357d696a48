'use strict'
module.exports = (...args) => args.slice(0, -1).find((a) => a)
