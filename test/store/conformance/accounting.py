"""Every file of real/ is replayed or listed with the reason it cannot be (whole file names)."""
import os
import unittest

from . import captures


class AccountingTest(unittest.TestCase):
    def test_all_files_accounted_for(self):
        d = captures.real_dir()
        self.assertIsNotNone(d, "reference real/ directory not found (give --reference or $WOO_REFERENCE)")
        present = set(os.listdir(d))
        replayed = captures.replayed()
        listed = captures.NOT_REPLAYED
        self.assertEqual([], sorted(present - set(replayed) - set(listed)),
                         "files in real/ neither replayed nor listed with a reason")
        self.assertEqual([], sorted(set(replayed) & set(listed)), "files both replayed and listed")
        self.assertEqual([], sorted((set(replayed) | set(listed)) - present),
                         "names declared here that real/ does not hold")
        for name, reason in listed.items():
            self.assertTrue(reason.strip(), "no reason given for %s" % name)


class ReplaysReadCheck(unittest.TestCase):
    """Run after every other test: a file declared replayed must have been read by its replay."""

    def test_every_declared_replay_read_its_capture(self):
        unread = sorted(set(captures.replayed()) - captures.read_names())
        self.assertEqual([], ["%s (%s)" % (n, captures.replayed()[n]) for n in unread],
                         "declared replayed but never read")
