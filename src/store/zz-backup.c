/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zz-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zz-age.h"
#include "zz-backup.h"
#include "zz-schema.h"
#include "zz-store-private.h"
#include "zz-time.h"

#define TAR_BLOCK 512
#define MANIFEST_NAME "zongzhi-backup.txt"
#define DB_NAME "zongzhi.db"
#define KEY_NAME "zongzhi.db.key"
#define MANIFEST_FIRST_LINE "Zongzhi backup"
#define MAX_MANIFEST 4096
#define MAX_KEY 4096
#define COPY_CHUNK (256 * 1024)
#define PAGES_PER_STEP 1024

/* ---- a stream that reads several streams one after the other ---- */

#define ZZ_TYPE_CONCAT_STREAM (zz_concat_stream_get_type ())
G_DECLARE_FINAL_TYPE (ZzConcatStream, zz_concat_stream, ZZ, CONCAT_STREAM, GInputStream)

struct _ZzConcatStream {
  GInputStream parent_instance;
  GPtrArray *parts;
  guint current;
  guint64 done;
  guint64 total;
  ZzProgressFunc progress;
  gpointer progress_data;
  double from, to;
  int last_percent;
};

G_DEFINE_FINAL_TYPE (ZzConcatStream, zz_concat_stream, G_TYPE_INPUT_STREAM)

static gssize
zz_concat_stream_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
                       GError **error)
{
  ZzConcatStream *self = ZZ_CONCAT_STREAM (stream);

  while (self->current < self->parts->len)
    {
      gssize n = g_input_stream_read (self->parts->pdata[self->current], buffer, count, cancellable, error);

      if (n < 0)
        return -1;
      if (n > 0)
        {
          self->done += n;
          if (self->progress && self->total)
            {
              int percent = (int) (self->done * 100 / self->total);
              if (percent != self->last_percent)
                {
                  self->last_percent = percent;
                  self->progress (self->from + (self->to - self->from) * self->done / self->total,
                                  self->progress_data);
                }
            }
          return n;
        }
      self->current++;
    }
  return 0;
}

static gboolean
zz_concat_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  ZzConcatStream *self = ZZ_CONCAT_STREAM (stream);

  for (guint i = 0; i < self->parts->len; i++)
    g_input_stream_close (self->parts->pdata[i], NULL, NULL);
  return TRUE;
}

static void
zz_concat_stream_finalize (GObject *object)
{
  g_ptr_array_unref (ZZ_CONCAT_STREAM (object)->parts);
  G_OBJECT_CLASS (zz_concat_stream_parent_class)->finalize (object);
}

static void
zz_concat_stream_class_init (ZzConcatStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zz_concat_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = zz_concat_stream_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = zz_concat_stream_close;
}

static void
zz_concat_stream_init (ZzConcatStream *self)
{
  self->parts = g_ptr_array_new_with_free_func (g_object_unref);
  self->last_percent = -1;
}

static void
concat_add_bytes (ZzConcatStream *self, const void *data, gsize len)
{
  g_ptr_array_add (self->parts, g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free));
  self->total += len;
}

/* ---- tar (ustar) ---- */

static void
tar_octal (guint8 *field, gsize width, guint64 value)
{
  /* width - 1 octal digits and a NUL; past that, the base-256 form GNU tar and libarchive read */
  if (value < ((guint64) 1 << (3 * (width - 1))))
    {
      char buf[32];
      g_snprintf (buf, sizeof buf, "%0*" G_GINT64_MODIFIER "o", (int) (width - 1), value);
      memcpy (field, buf, width - 1);
      field[width - 1] = 0;
    }
  else
    {
      for (gsize i = width - 1; i > 0; i--, value >>= 8)
        field[i] = value & 0xff;
      field[0] = 0x80;
    }
}

static void
tar_header (guint8 *h, const char *name, guint64 size, gint64 mtime)
{
  guint sum = 0;
  char buf[8];

  memset (h, 0, TAR_BLOCK);
  memcpy (h, name, strlen (name));
  tar_octal (h + 100, 8, 0600);
  tar_octal (h + 108, 8, 0);
  tar_octal (h + 116, 8, 0);
  tar_octal (h + 124, 12, size);
  tar_octal (h + 136, 12, (guint64) MAX (mtime, 0));
  memset (h + 148, ' ', 8);
  h[156] = '0';
  memcpy (h + 257, "ustar", 6);
  memcpy (h + 263, "00", 2);
  for (guint i = 0; i < TAR_BLOCK; i++)
    sum += h[i];
  g_snprintf (buf, sizeof buf, "%06o", sum);
  memcpy (h + 148, buf, 7);
  h[155] = ' ';
}

static void
concat_add_file_entry (ZzConcatStream *self, const char *name, GInputStream *content, guint64 size,
                       gint64 mtime)
{
  static const guint8 zeros[TAR_BLOCK];
  guint8 h[TAR_BLOCK];

  tar_header (h, name, size, mtime);
  concat_add_bytes (self, h, sizeof h);
  g_ptr_array_add (self->parts, g_object_ref (content));
  self->total += size;
  if (size % TAR_BLOCK)
    concat_add_bytes (self, zeros, TAR_BLOCK - size % TAR_BLOCK);
}

/* Reads a field written by tar_octal (or plain octal with spaces); -1 when malformed. */
static gint64
tar_read_number (const guint8 *field, gsize width)
{
  guint64 v = 0;
  gsize i = 0;

  if (field[0] & 0x80)
    {
      for (i = 1; i < width; i++)
        {
          if (v >> 55)
            return -1;
          v = (v << 8) | field[i];
        }
      return v > G_MAXINT64 ? -1 : (gint64) v;
    }
  while (i < width && field[i] == ' ')
    i++;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; i++)
    {
      if (v >> 60)
        return -1;
      v = v * 8 + (field[i] - '0');
    }
  if (i < width && field[i] != 0 && field[i] != ' ')
    return -1;
  return (gint64) v;
}

static gboolean
tar_header_valid (const guint8 *h, char *name, gint64 *size)
{
  guint sum = 0;
  gint64 stored = tar_read_number (h + 148, 8);

  for (guint i = 0; i < TAR_BLOCK; i++)
    sum += (i >= 148 && i < 156) ? ' ' : h[i];
  if (stored < 0 || (guint) stored != sum || memcmp (h + 257, "ustar", 5) != 0)
    return FALSE;
  memcpy (name, h, 100);
  name[100] = 0;
  *size = tar_read_number (h + 124, 12);
  return *size >= 0 && (h[156] == '0' || h[156] == 0);
}

/* ---- helpers ---- */

static char *
db_dir_of (const char *db_path)
{
  return g_path_get_dirname (db_path);
}

static char *
temp_path_in (const char *dir, const char *stem, GError **error)
{
  g_autofree char *tmpl = g_build_filename (dir, stem, NULL);
  char *path = g_strconcat (tmpl, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not create a file in %s: %s"), dir,
                   g_strerror (saved));
      g_free (path);
      return NULL;
    }
  close (fd);
  return path;
}

static void
remove_db_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
  g_unlink (path);
}

static gboolean
sqlite_error (sqlite3 *db, const char *what, GError **error)
{
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("%s: %s"), what, db ? sqlite3_errmsg (db) : "?");
  return FALSE;
}

static gboolean
check_integrity (sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  int rows = 0;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_error (db, _("The copy could not be checked"), error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (rows++ == 0)
      first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rows != 1 || g_strcmp0 (first, "ok") != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_DB, _("The copy of the database is damaged (%s)."),
                   first ? first : "?");
      return FALSE;
    }
  return TRUE;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

static gint64
query_int (sqlite3 *db, const char *sql, gint64 fallback)
{
  g_autofree char *t = query_text (db, sql);

  return t ? g_ascii_strtoll (t, NULL, 10) : fallback;
}

static void
report (ZzProgressFunc progress, gpointer data, double fraction)
{
  if (progress)
    progress (fraction, data);
}

static gboolean
fsync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  fsync (fd);
  close (fd);
  return TRUE;
}

/* ---- backup ---- */

static int backup_scrypt_log_n = ZZ_AGE_SCRYPT_LOG_N_DEFAULT;

void
zz_backup_set_scrypt_log_n_for_test (int log_n)
{
  backup_scrypt_log_n = log_n;
}

/* The online backup API into @copy_path, then the integrity check of the copy. */
static gboolean
copy_database (const char *db_path, const char *copy_path, ZzProgressFunc progress, gpointer data,
               GCancellable *cancellable, char **node_id, gint64 *schema, GError **error)
{
  sqlite3 *src = NULL, *dst = NULL;
  sqlite3_backup *b;
  gboolean ok = FALSE;
  int rc;

  if (sqlite3_open_v2 (db_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite_error (src, _("Could not open the database"), error);
      goto out;
    }
  sqlite3_busy_timeout (src, 10000);
  if (sqlite3_open_v2 (copy_path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sqlite_error (dst, _("Could not write the copy"), error);
      goto out;
    }
  b = sqlite3_backup_init (dst, "main", src, "main");
  if (!b)
    {
      sqlite_error (dst, _("Could not copy the database"), error);
      goto out;
    }
  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_backup_finish (b);
          goto out;
        }
      rc = sqlite3_backup_step (b, PAGES_PER_STEP);
      if (sqlite3_backup_pagecount (b) > 0)
        report (progress, data, 0.4 * (1.0 - (double) sqlite3_backup_remaining (b)
                                             / sqlite3_backup_pagecount (b)));
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (50);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (b);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (dst, _("Could not copy the database"), error);
      goto out;
    }
  if (!check_integrity (dst, error))
    goto out;
  report (progress, data, 0.5);
  *node_id = query_text (dst, "SELECT id FROM node WHERE is_self = 1");
  *schema = query_int (dst, "PRAGMA user_version", 0);
  ok = TRUE;
out:
  sqlite3_close_v2 (dst);
  sqlite3_close_v2 (src);
  return ok;
}

gboolean
zz_backup_write (const char     *db_path,
                 const char     *dest,
                 const char     *passphrase,
                 ZzProgressFunc  progress,
                 gpointer        progress_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *dest_dir = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *node_id = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *created = NULL;
  g_autoptr(ZzConcatStream) tar = NULL;
  g_autoptr(GFile) copy_file = NULL;
  g_autoptr(GFileInputStream) copy_in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) partial_file = NULL;
  g_autoptr(GDateTime) now = NULL;
  static const guint8 end[2 * TAR_BLOCK];
  gsize key_len = 0;
  gint64 schema = 0;
  GStatBuf st;
  gboolean ok = FALSE;

  g_return_val_if_fail (db_path != NULL && dest != NULL, FALSE);

  if (g_stat (db_path, &st) != 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("There is no database at %s."), db_path);
      return FALSE;
    }
  dir = db_dir_of (db_path);
  dest_dir = g_path_get_dirname (dest);
  copy = temp_path_in (dir, ".backup-copy", error);
  if (!copy)
    return FALSE;
  if (!copy_database (db_path, copy, progress, progress_data, cancellable, &node_id, &schema, error))
    goto out;

  key_path = g_strconcat (db_path, ".key", NULL);
  if (g_file_test (key_path, G_FILE_TEST_EXISTS)
      && !g_file_get_contents (key_path, &key, &key_len, error))
    goto out;
  if (key_len > MAX_KEY)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT, _("The node key file %s is damaged."), key_path);
      goto out;
    }

  now = g_date_time_new_now_utc ();
  created = g_date_time_format_iso8601 (now);
  manifest = g_strdup_printf (MANIFEST_FIRST_LINE "\nformat 1\nnode %s\nschema %" G_GINT64_FORMAT
                              "\ncreated %s\nkey %s\n", node_id ? node_id : "-", schema, created,
                              key ? "yes" : "no");

  tar = g_object_new (ZZ_TYPE_CONCAT_STREAM, NULL);
  tar->progress = progress;
  tar->progress_data = progress_data;
  tar->from = 0.5;
  tar->to = 1.0;
  {
    g_autoptr(GInputStream) m = g_memory_input_stream_new_from_data (g_strdup (manifest), strlen (manifest), g_free);
    concat_add_file_entry (tar, MANIFEST_NAME, m, strlen (manifest), g_date_time_to_unix (now));
  }
  copy_file = g_file_new_for_path (copy);
  copy_in = g_file_read (copy_file, cancellable, error);
  if (!copy_in || g_stat (copy, &st) != 0)
    goto out;
  concat_add_file_entry (tar, DB_NAME, G_INPUT_STREAM (copy_in), st.st_size, g_date_time_to_unix (now));
  if (key)
    {
      g_autoptr(GInputStream) k = g_memory_input_stream_new_from_data (g_memdup2 (key, key_len), key_len, g_free);
      concat_add_file_entry (tar, KEY_NAME, k, key_len, g_date_time_to_unix (now));
      sodium_memzero (key, key_len);
    }
  concat_add_bytes (tar, end, sizeof end);

  if (g_mkdir_with_parents (dest_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not create the folder %s: %s"), dest_dir,
                   g_strerror (saved));
      goto out;
    }
  partial = temp_path_in (dest_dir, ".zongzhi-backup-partial", error);
  if (!partial)
    goto out;
  partial_file = g_file_new_for_path (partial);
  out = g_file_replace (partial_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (!out)
    goto out;
  if (passphrase && *passphrase)
    {
      if (!zz_age_encrypt_stream (G_INPUT_STREAM (tar), G_OUTPUT_STREAM (out), NULL, 0, passphrase,
                                  backup_scrypt_log_n, cancellable, error))
        goto out;
    }
  else if (g_output_stream_splice (G_OUTPUT_STREAM (out), G_INPUT_STREAM (tar),
                                   G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, cancellable, error) < 0)
    goto out;
  if (!g_output_stream_flush (G_OUTPUT_STREAM (out), cancellable, error))
    goto out;
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    goto out;
  {
    /* on the disk before it replaces anything */
    int fd = g_open (partial, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0 || fsync (fd) != 0)
      {
        int saved = errno;
        if (fd >= 0)
          close (fd);
        g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the backup %s: %s"), dest,
                     g_strerror (saved));
        goto out;
      }
    close (fd);
  }
  if (g_rename (partial, dest) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the backup %s: %s"), dest,
                   g_strerror (saved));
      goto out;
    }
  g_clear_pointer (&partial, g_free);
  fsync_dir (dest_dir);
  report (progress, progress_data, 1.0);
  ok = TRUE;
out:
  if (out && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  if (partial)
    g_unlink (partial);
  remove_db_files (copy);
  return ok;
}

/* ---- restore ---- */

gboolean
zz_backup_is_encrypted (const char *path, gboolean *encrypted, GError **error)
{
  static const char age_magic[] = "age-encryption.org/v1\n";
  guint8 head[sizeof age_magic - 1];
  gssize n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_NOT_FOUND, _("Could not open %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  n = read (fd, head, sizeof head);
  close (fd);
  *encrypted = n == (gssize) sizeof head && memcmp (head, age_magic, sizeof head) == 0;
  return TRUE;
}

static gboolean
not_a_backup (const char *path, GError **error)
{
  g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
               _("%s is not a Zongzhi backup, or it is damaged."), path);
  return FALSE;
}

static gboolean
read_exact (GInputStream *in, void *buf, gsize len, GCancellable *cancellable, GError **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (in, buf, len, &got, cancellable, error))
    return FALSE;
  return got == len;
}

/* Copies @size bytes of @in to a new file at @path (0600). */
static gboolean
extract_to (GInputStream *in, gint64 size, const char *path, ZzProgressFunc progress, gpointer data,
            gint64 total, gint64 *done, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *buf = g_malloc (COPY_CHUNK);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gboolean ok = TRUE;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  while (ok && size > 0)
    {
      gsize want = MIN ((gint64) COPY_CHUNK, size);
      gsize got = 0;

      if (!g_input_stream_read_all (in, buf, want, &got, cancellable, error))
        ok = FALSE;
      else if (got != want)
        ok = FALSE;
      else if (write (fd, buf, got) != (gssize) got)
        {
          int saved = errno;
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write %s: %s"), path, g_strerror (saved));
          ok = FALSE;
        }
      size -= got;
      *done += got;
      if (total > 0)
        report (progress, data, 0.2 + 0.6 * (double) *done / total);
    }
  if (ok && fsync (fd) != 0)
    ok = FALSE;
  close (fd);
  return ok;
}

typedef struct {
  char *manifest;
  char *db_tmp;
  char *key_tmp;
} Extracted;

static void
extracted_clear (Extracted *x)
{
  g_free (x->manifest);
  if (x->db_tmp)
    remove_db_files (x->db_tmp);
  g_free (x->db_tmp);
  if (x->key_tmp)
    g_unlink (x->key_tmp);
  g_free (x->key_tmp);
}

/* Reads the archive at @tar_path (our own tar) and extracts the database and key into temporary
 * files in @dir. */
static gboolean
extract_archive (const char *tar_path, const char *shown_path, const char *dir, Extracted *x,
                 ZzProgressFunc progress, gpointer data, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (tar_path);
  g_autoptr(GFileInputStream) in = NULL;
  GStatBuf st;
  gint64 done = 0;

  if (g_stat (tar_path, &st) != 0)
    return not_a_backup (shown_path, error);
  in = g_file_read (file, cancellable, error);
  if (!in)
    return FALSE;
  for (guint entry = 0;; entry++)
    {
      guint8 h[TAR_BLOCK];
      char name[101];
      gint64 size;
      gint64 pad;
      g_autoptr(GError) local = NULL;

      if (!read_exact (G_INPUT_STREAM (in), h, sizeof h, cancellable, &local))
        {
          if (local && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
          return not_a_backup (shown_path, error);
        }
      if (h[0] == 0)
        break;  /* the end blocks */
      if (!tar_header_valid (h, name, &size) || size > st.st_size)
        return not_a_backup (shown_path, error);
      pad = (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
      if (entry == 0)
        {
          if (strcmp (name, MANIFEST_NAME) != 0 || size > MAX_MANIFEST)
            return not_a_backup (shown_path, error);
          x->manifest = g_malloc0 (size + 1);
          if (!read_exact (G_INPUT_STREAM (in), x->manifest, size, cancellable, NULL)
              || !g_str_has_prefix (x->manifest, MANIFEST_FIRST_LINE "\n"))
            return not_a_backup (shown_path, error);
        }
      else if (strcmp (name, DB_NAME) == 0 && !x->db_tmp)
        {
          x->db_tmp = temp_path_in (dir, ".restore-db", error);
          if (!x->db_tmp)
            return FALSE;
          if (!extract_to (G_INPUT_STREAM (in), size, x->db_tmp, progress, data, st.st_size, &done,
                           cancellable, error))
            {
              if (error && *error)
                return FALSE;
              return not_a_backup (shown_path, error);
            }
        }
      else if (strcmp (name, KEY_NAME) == 0 && !x->key_tmp && size <= MAX_KEY)
        {
          x->key_tmp = temp_path_in (dir, ".restore-key", error);
          if (!x->key_tmp)
            return FALSE;
          if (!extract_to (G_INPUT_STREAM (in), size, x->key_tmp, NULL, NULL, 0, &done, cancellable, error))
            {
              if (error && *error)
                return FALSE;
              return not_a_backup (shown_path, error);
            }
        }
      else
        return not_a_backup (shown_path, error);
      if (pad && g_input_stream_skip (G_INPUT_STREAM (in), pad, cancellable, NULL) != pad)
        return not_a_backup (shown_path, error);
    }
  if (!x->manifest || !x->db_tmp)
    return not_a_backup (shown_path, error);
  return TRUE;
}

/* The restored database: whole, of a schema this program knows, its key its own; marked as
 * restored when it takes part in sync. */
static gboolean
check_restored (Extracted *x, const char *shown_path, GError **error)
{
  sqlite3 *db = NULL;
  gboolean ok = FALSE;
  gint64 version;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (x->db_tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sqlite_error (db, _("Could not open the restored database"), error);
      goto out;
    }
  if (!check_integrity (db, NULL))
    {
      not_a_backup (shown_path, error);
      goto out;
    }
  version = query_int (db, "PRAGMA user_version", -1);
  if (version > (gint64) zz_schema_n_migrations ())
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                   _("This backup was written by a newer version of the program (schema %d); "
                     "upgrade the program first."), (int) version);
      goto out;
    }
  if (version < 1)
    {
      not_a_backup (shown_path, error);
      goto out;
    }

  if (x->key_tmp)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;
      guint8 sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
      gsize len = 0;
      gboolean match = FALSE;

      if (!g_file_get_contents (x->key_tmp, &contents, NULL, NULL))
        {
          not_a_backup (shown_path, error);
          goto out;
        }
      lines = g_strsplit (contents, "\n", 3);
      if (g_strv_length (lines) >= 2
          && sodium_base642bin (sk, sizeof sk, lines[1], strlen (lines[1]), NULL, &len, NULL,
                                sodium_base64_VARIANT_ORIGINAL) == 0 && len == sizeof sk)
        {
          crypto_sign_ed25519_sk_to_pk (pk, sk);
          if (sqlite3_prepare_v2 (db, "SELECT public_key FROM node WHERE is_self = 1", -1, &stmt, NULL) == SQLITE_OK
              && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == sizeof pk)
            match = sodium_memcmp (sqlite3_column_blob (stmt, 0), pk, sizeof pk) == 0;
          sqlite3_finalize (stmt);
        }
      sodium_memzero (sk, sizeof sk);
      if (contents)
        sodium_memzero (contents, strlen (contents));
      if (!match)
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_FORMAT,
                       _("The node key in %s does not belong to its database."), shown_path);
          goto out;
        }
    }

  /* A node that exchanges bundles may have written changes after this backup that its county
   * already holds: new changes now would reuse their numbers (a fork). They wait until a bundle
   * from above brings them back. */
  if (query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_root'", 0) > 0
      && query_int (db, "SELECT count(*) FROM sync_root", 0) > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *iso = g_date_time_format_iso8601 (now);

      if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO setting (key, value) VALUES ('" ZZ_RESTORE_PENDING_KEY "', ?)",
                              -1, &stmt, NULL) != SQLITE_OK)
        {
          sqlite_error (db, _("Could not open the restored database"), error);
          goto out;
        }
      sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          sqlite_error (db, _("Could not open the restored database"), error);
          goto out;
        }
      sqlite3_finalize (stmt);
    }
  ok = TRUE;
out:
  /* closing checkpoints the write-ahead log into the file and removes it */
  sqlite3_close_v2 (db);
  return ok;
}

static gboolean
db_is_empty_setup (const char *db_path)
{
  sqlite3 *db = NULL;
  gboolean empty = FALSE;
  g_autofree char *key = g_strconcat (db_path, ".key", NULL);

  if (g_file_test (key, G_FILE_TEST_EXISTS))
    return FALSE;
  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    empty = query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'node'", 0) == 0
            || query_int (db, "SELECT count(*) FROM node", 1) == 0;
  sqlite3_close_v2 (db);
  return empty;
}

/* The archive inside an encrypted backup, decrypted into a temporary file (0600) in the
 * database's own folder. */
static gboolean
decrypt_to (const char *backup, const char *dir, const char *passphrase, char **plain,
            GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) in_file = g_file_new_for_path (backup);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local = NULL;

  *plain = temp_path_in (dir, ".restore-archive", error);
  if (!*plain)
    return FALSE;
  in = g_file_read (in_file, cancellable, error);
  if (!in)
    return FALSE;
  out_file = g_file_new_for_path (*plain);
  out = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (!out)
    return FALSE;
  if (!zz_age_decrypt_stream (G_INPUT_STREAM (in), G_OUTPUT_STREAM (out), NULL, passphrase, 0, cancellable, &local))
    {
      g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      if (g_error_matches (local, ZZ_ERROR, ZZ_ERROR_FORMAT))
        return not_a_backup (backup, error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Nothing was restored: "));
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

gboolean
zz_backup_restore (const char     *backup,
                   const char     *db_path,
                   const char     *passphrase,
                   ZzRestoreFlags  flags,
                   ZzProgressFunc  progress,
                   gpointer        progress_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *plain = NULL;
  Extracted x = { 0 };
  gboolean encrypted = FALSE;
  gboolean created_dir = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (backup != NULL && db_path != NULL, FALSE);

  if (sodium_init () < 0)
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("The cryptography library could not start."));
      return FALSE;
    }
  key_path = g_strconcat (db_path, ".key", NULL);
  if (g_file_test (db_path, G_FILE_TEST_EXISTS) || g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      if (!(flags & ZZ_RESTORE_REPLACE_EMPTY) || !db_is_empty_setup (db_path))
        {
          g_set_error (error, ZZ_ERROR, ZZ_ERROR_STATE,
                       _("There is already a database at %s; nothing was restored. Restore into a "
                         "new file, or move the existing one away first."), db_path);
          return FALSE;
        }
    }
  if (!zz_backup_is_encrypted (backup, &encrypted, error))
    return FALSE;
  if (encrypted && !(passphrase && *passphrase))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_AUTH, _("This backup is encrypted: give its passphrase."));
      return FALSE;
    }
  dir = db_dir_of (db_path);
  created_dir = !g_file_test (dir, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  report (progress, progress_data, 0.0);
  if (encrypted && !decrypt_to (backup, dir, passphrase, &plain, cancellable, error))
    goto out;
  report (progress, progress_data, 0.2);
  if (!extract_archive (plain ? plain : backup, backup, dir, &x, progress, progress_data, cancellable, error))
    goto out;
  report (progress, progress_data, 0.85);
  if (!check_restored (&x, backup, error))
    goto out;
  report (progress, progress_data, 0.95);

  /* The key first: a database without its key can still be read; then the database. */
  if (flags & ZZ_RESTORE_REPLACE_EMPTY)
    remove_db_files (db_path);
  if (x.key_tmp && g_rename (x.key_tmp, key_path) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the node key %s: %s"), key_path,
                   g_strerror (saved));
      goto out;
    }
  g_clear_pointer (&x.key_tmp, g_free);
  if (g_rename (x.db_tmp, db_path) != 0)
    {
      int saved = errno;
      g_unlink (key_path);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not write the database %s: %s"), db_path,
                   g_strerror (saved));
      goto out;
    }
  g_clear_pointer (&x.db_tmp, g_free);
  g_chmod (db_path, 0600);
  fsync_dir (dir);
  report (progress, progress_data, 1.0);
  ok = TRUE;
out:
  extracted_clear (&x);
  if (plain)
    g_unlink (plain);
  if (!ok && created_dir)
    g_rmdir (dir);  /* only when empty: nothing was there before */
  return ok;
}

/* ---- folders and rotation ---- */

char *
zz_backup_file_name (const char *folder, gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zz_local_zone ());
  g_autofree char *stamp = g_date_time_format (local, "zongzhi-%Y%m%d-%H%M%S" ZZ_BACKUP_SUFFIX);

  return g_build_filename (folder, stamp, NULL);
}

/* The time in a backup's name, or NULL when the name is not one of ours. */
static GDateTime *
time_of_name (const char *name)
{
  int y, mo, d, h, mi, s;
  char tail[32];

  if (strlen (name) != strlen ("zongzhi-YYYYMMDD-HHMMSS" ZZ_BACKUP_SUFFIX)
      || sscanf (name, "zongzhi-%4d%2d%2d-%2d%2d%2d%31s", &y, &mo, &d, &h, &mi, &s, tail) != 7
      || strcmp (tail, ZZ_BACKUP_SUFFIX) != 0)
    return NULL;
  return g_date_time_new (zz_local_zone (), y, mo, d, h, mi, s);
}

static int
compare_names_desc (gconstpointer a, gconstpointer b)
{
  return -strcmp (*(char **) a, *(char **) b);
}

gboolean
zz_backup_rotate (const char *folder, GError **error)
{
  g_autoptr(GDir) d = g_dir_open (folder, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) weeks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  if (!d)
    return FALSE;
  while ((name = g_dir_read_name (d)))
    {
      g_autoptr(GDateTime) t = time_of_name (name);
      if (t)
        g_ptr_array_add (names, g_strdup (name));
    }
  /* the names sort by time: newest first, each period keeps the first it meets */
  g_ptr_array_sort (names, compare_names_desc);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GDateTime) t = time_of_name (names->pdata[i]);
      g_autofree char *day = g_date_time_format (t, "%Y-%m-%d");
      g_autofree char *week = g_date_time_format (t, "%G-W%V");
      g_autofree char *month = g_date_time_format (t, "%Y-%m");
      gboolean keep = FALSE;

      if (!g_hash_table_contains (days, day) && g_hash_table_size (days) < 7)
        keep = g_hash_table_add (days, g_steal_pointer (&day)) || TRUE;
      if (!g_hash_table_contains (weeks, week) && g_hash_table_size (weeks) < 4)
        keep = g_hash_table_add (weeks, g_steal_pointer (&week)) || TRUE;
      if (!g_hash_table_contains (months, month) && g_hash_table_size (months) < 12)
        keep = g_hash_table_add (months, g_steal_pointer (&month)) || TRUE;
      if (!keep)
        {
          g_autofree char *path = g_build_filename (folder, names->pdata[i], NULL);
          if (g_unlink (path) != 0)
            g_warning ("could not remove the old backup %s: %s", path, g_strerror (errno));
        }
    }
  return TRUE;
}

char *
zz_backup_to_folder (const char     *db_path,
                     const char     *folder,
                     const char     *passphrase,
                     gint64          unix_ms,
                     ZzProgressFunc  progress,
                     gpointer        progress_data,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autofree char *dest = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not create the folder %s: %s"), folder,
                   g_strerror (saved));
      return NULL;
    }
  dest = zz_backup_file_name (folder, unix_ms);
  if (!zz_backup_write (db_path, dest, passphrase, progress, progress_data, cancellable, error))
    return NULL;
  if (!zz_backup_rotate (folder, error))
    return NULL;
  return g_steal_pointer (&dest);
}

/* ---- in a worker thread ---- */

typedef struct {
  char *db_path;
  char *folder;
  char *backup;
  char *passphrase;
  ZzRestoreFlags flags;
  ZzThreadProgress tp;
} Job;

static void
job_free (gpointer p)
{
  Job *job = p;

  g_free (job->db_path);
  g_free (job->folder);
  g_free (job->backup);
  if (job->passphrase)
    sodium_memzero (job->passphrase, strlen (job->passphrase));
  g_free (job->passphrase);
  zz_thread_progress_clear (&job->tp);
  g_free (job);
}

static void
backup_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  char *path = zz_backup_to_folder (job->db_path, job->folder, job->passphrase, g_get_real_time () / 1000,
                                    zz_thread_progress_report, &job->tp, cancellable, &error);

  if (path)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

void
zz_backup_to_folder_async (const char          *db_path,
                           const char          *folder,
                           const char          *passphrase,
                           ZzProgressFunc       progress,
                           gpointer             progress_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->db_path = g_strdup (db_path);
  job->folder = g_strdup (folder);
  job->passphrase = g_strdup (passphrase);
  zz_thread_progress_init (&job->tp, progress, progress_data);
  g_task_set_source_tag (task, zz_backup_to_folder_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, backup_thread);
}

char *
zz_backup_to_folder_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  if (zz_backup_restore (job->backup, job->db_path, job->passphrase, job->flags, zz_thread_progress_report,
                         &job->tp, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
zz_backup_restore_async (const char          *backup,
                         const char          *db_path,
                         const char          *passphrase,
                         ZzRestoreFlags       flags,
                         ZzProgressFunc       progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->backup = g_strdup (backup);
  job->db_path = g_strdup (db_path);
  job->passphrase = g_strdup (passphrase);
  job->flags = flags;
  zz_thread_progress_init (&job->tp, progress, progress_data);
  g_task_set_source_tag (task, zz_backup_restore_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
zz_backup_restore_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the passphrase and the folder ---- */

char *
zz_backup_passphrase_path (const char *db_path)
{
  return g_strconcat (db_path, ".backup-passphrase", NULL);
}

char *
zz_backup_load_passphrase (const char *db_path)
{
  g_autofree char *path = zz_backup_passphrase_path (db_path);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  if (len > 0 && contents[len - 1] == '\n')
    contents[len - 1] = 0;
  if (!*contents)
    {
      g_free (contents);
      return NULL;
    }
  return contents;
}

gboolean
zz_backup_save_passphrase (ZzStore *store, const char *passphrase, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *tmp = NULL;
  gsize len;
  int fd;

  g_return_val_if_fail (ZZ_IS_STORE (store), FALSE);

  if (!zz_store_require (store, ZZ_PERM_MANAGE_USERS, error))
    return FALSE;
  if (!passphrase || g_utf8_strlen (passphrase, -1) < 8 || strchr (passphrase, '\n'))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID,
                   _("A backup passphrase has at least 8 characters on one line."));
      return FALSE;
    }
  path = zz_backup_passphrase_path (store->path);
  tmp = g_strconcat (path, ".tmp", NULL);
  len = strlen (passphrase);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, passphrase, len) != (gssize) len || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_unlink (tmp);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not save the backup passphrase: %s"), g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_IO, _("Could not save the backup passphrase: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

char *
zz_backup_get_folder (ZzStore *store)
{
  char *folder = zz_store_get_setting (store, "backup_folder");

  if (folder && !*folder)
    g_clear_pointer (&folder, g_free);
  return folder;
}

gboolean
zz_backup_set_folder (ZzStore *store, const char *folder, GError **error)
{
  if (!zz_store_require (store, ZZ_PERM_MANAGE_USERS, error))
    return FALSE;
  if (folder && *folder && !g_path_is_absolute (folder))
    {
      g_set_error (error, ZZ_ERROR, ZZ_ERROR_INVALID, _("Choose a folder by its full path."));
      return FALSE;
    }
  return zz_store_set_setting (store, "backup_folder", folder ? folder : "", error);
}

gint64
zz_backup_get_last_time (ZzStore *store)
{
  g_autofree char *v = zz_store_get_setting (store, "backup_last");

  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

void
zz_backup_set_last_time (ZzStore *store, gint64 unix_ms)
{
  g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, unix_ms);

  zz_store_set_setting (store, "backup_last", v, NULL);
}

/* ---- file modes ---- */

char *
zz_store_check_file_modes (const char *db_path)
{
  g_autofree char *dir = db_dir_of (db_path);
  g_autoptr(GString) bad = g_string_new (NULL);
  const char *suffixes[] = { "", "-wal", "-shm", ".key", ".backup-passphrase" };
  GStatBuf st;

  if (g_stat (dir, &st) == 0 && (st.st_mode & 077) != 0)
    g_string_append_printf (bad, "%s%s", bad->len ? ", " : "", dir);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
        g_string_append_printf (bad, "%s%s", bad->len ? ", " : "", path);
    }
  if (bad->len == 0)
    return NULL;
  return g_strdup_printf (_("Other users of this computer may read the database or its key: %s. "
                            "The folder should be 0700 and the files 0600."), bad->str);
}
