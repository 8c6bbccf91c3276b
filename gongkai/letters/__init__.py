"""The agency's letters (文书) as stored files, and the 依申请公开台账 import/export pages."""
